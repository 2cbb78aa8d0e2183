"""Reading the synthetic datasets in demo/ (settings.DEMO_DATA_DIR) for the local plugins."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any


class DatasetError(Exception):
    """A demo dataset is missing or malformed."""


def load_dataset(data_dir: Path | str, filename: str, key: str) -> list[dict[str, Any]]:
    """The list under ``key`` in ``data_dir/filename``; re-read when the file changes."""
    path = Path(data_dir) / filename
    try:
        stat = path.stat()
    except OSError as exc:
        raise DatasetError(f"{path} cannot be read: {exc.strerror}") from None
    return _load(str(path), stat.st_mtime_ns, stat.st_size, key)


@lru_cache(maxsize=32)
def _load(path: str, _mtime_ns: int, _size: int, key: str) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as exc:
        raise DatasetError(f"{path} is not valid JSON: {exc}") from None
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise DatasetError(f"{path} has no list of objects under {key!r}.")
    return items


def dataset_problems(data_dir: Path | str, filename: str, key: str) -> list[str]:
    try:
        load_dataset(data_dir, filename, key)
    except DatasetError as exc:
        return [str(exc)]
    return []
