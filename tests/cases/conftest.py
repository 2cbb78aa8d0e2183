"""Fixtures for the cases tests: Oslo's agencies, private storage in tmp, mail in memory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The applications tests' helpers (citizens, published definitions, the HTTP journey).
_APPLICATIONS = str(Path(__file__).resolve().parents[1] / "applications")
if _APPLICATIONS not in sys.path:
    sys.path.insert(0, _APPLICATIONS)


@pytest.fixture(autouse=True)
def _cases_settings(offline_settings):
    """tests/conftest.py's offline settings for every test here."""
