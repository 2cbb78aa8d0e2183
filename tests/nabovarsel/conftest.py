"""Fixtures for the nabovarsel tests: Oslo's agencies, the shipped nabovarsel service,
private storage in tmp, mail in memory, the local (synthetic) registers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The applications tests' helpers (published definitions, the no-JS form "browser").
_APPLICATIONS = str(Path(__file__).resolve().parents[1] / "applications")
if _APPLICATIONS not in sys.path:
    sys.path.insert(0, _APPLICATIONS)


@pytest.fixture(autouse=True)
def _nabovarsel_settings(offline_settings):
    """tests/conftest.py's offline settings for every test here."""


@pytest.fixture
def nabovarsel_service(agencies):
    from applications_helpers import publish, seed

    return publish(seed("nabovarsel"))
