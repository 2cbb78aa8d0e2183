"""Reading configuration from the environment.

Every setting comes from an ``IKTIPET_*`` variable with a safe default, so the embedded
default runs with no configuration at all. A value that cannot be parsed stops start-up
with a message that names the variable.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit


class ConfigError(Exception):
    """An environment variable holds a value we cannot use."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        self.name = name
        super().__init__(f"{name}={_redacted(value)!r} is not valid: expected {expected}.")


def _redacted(value: str) -> str:
    """The value with any URL password hidden: error messages end up in logs."""
    try:
        parts = urlsplit(value)
        password = parts.password
    except ValueError:
        password = None
    if not password:
        return value
    return value.replace(f":{password}@", ":***@", 1)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(name, raw, "one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(name, raw, "a whole number") from None
    if minimum is not None and value < minimum:
        raise ConfigError(name, raw, f"a whole number of at least {minimum}")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of ``choices``, matched without regard to case (``get`` is ``GET``)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    for choice in choices:
        if raw.strip().lower() == choice.lower():
            return choice
    raise ConfigError(name, raw, " or ".join(choices))


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str, *, schemes: tuple[str, ...]) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    expected = f"a URL starting with {' or '.join(s + '://' for s in schemes)}"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number 0-65535)
    except ValueError:
        raise ConfigError(name, raw, f"{expected}, with a numeric port") from None
    if parts.scheme not in schemes or (parts.scheme not in ("sqlite",) and not parts.netloc):
        raise ConfigError(name, raw, expected)
    return value


def var_dir() -> Path:
    """Where the embedded default keeps its state (SQLite file, secret key, uploads)."""
    return Path(env_str("IKTIPET_VAR_DIR", "var")).resolve()
