"""Fixtures: offline settings (private storage in tmp, mail in memory), citizens, a signed-in
client."""

from __future__ import annotations

import pytest

from iktipet.accounts.testing import sign_in_citizen
from support.applications import KARI, OLA, make_citizen


@pytest.fixture(autouse=True)
def _applications_settings(offline_settings):
    """tests/conftest.py's offline settings for every test here."""


@pytest.fixture
def kari(db):
    return make_citizen(KARI, "Kari", "Nordmann-Test", "kari@example.invalid")


@pytest.fixture
def ola(db):
    return make_citizen(OLA, "Ola", "Nordmann-Test")


@pytest.fixture
def kari_client(client, kari):
    sign_in_citizen(client, KARI)
    return client
