"""Fixtures for the nabovarsel tests: Oslo's agencies, the shipped nabovarsel service,
private storage in tmp, mail in memory, the local (synthetic) registers."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _nabovarsel_settings(offline_settings):
    """tests/conftest.py's offline settings for every test here."""


@pytest.fixture
def nabovarsel_service(agencies):
    from support.applications import publish, seed

    return publish(seed("nabovarsel"))
