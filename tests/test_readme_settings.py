"""The README's configuration table names every environment variable the platform reads.

A variable read in src/ (``env_str("IKTIPET_…")`` and its kin, or ``os.environ``) fails
here until the table has a row for it, by its full name; a row for a variable nothing
reads fails too.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = re.compile(r"IKTIPET_[A-Z0-9_]*[A-Z0-9]")
#: Prefixes the code joins a suffix to (``f"{prefix}_CLIENT_ID"``), not variables themselves.
PREFIXES = {"IKTIPET_OIDC", "IKTIPET_STAFF_OIDC"}


def _read_in_source() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "src" / "iktipet").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names.update(re.findall(r"[\"'](IKTIPET_[A-Z0-9_]*[A-Z0-9])[\"']", text))
    return names - PREFIXES


def _documented() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `IKTIPET_")]
    return {name for row in rows for name in NAME.findall(row.split(" | ")[0])}


def test_every_variable_read_is_in_the_readme_table():
    missing = _read_in_source() - _documented()
    assert not missing, f"add rows to README.md's configuration table: {sorted(missing)}"


def test_every_row_names_a_variable_that_is_read():
    stale = _documented() - _read_in_source()
    assert not stale, f"README.md documents variables nothing reads: {sorted(stale)}"


def test_the_table_is_found():
    assert len(_documented()) > 40
