"""Fixtures: a logged-in citizen, private storage in tmp, mail in memory."""

from __future__ import annotations

import pytest
from applications_helpers import KARI, OLA, login, make_citizen


@pytest.fixture(autouse=True)
def _applications_settings(settings, tmp_path):
    settings.ALLOW_SYNTHETIC_IDS = True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ANTIVIRUS = "none"


@pytest.fixture
def kari(db):
    return make_citizen(KARI, "Kari", "Nordmann-Test", "kari@example.invalid")


@pytest.fixture
def ola(db):
    return make_citizen(OLA, "Ola", "Nordmann-Test")


@pytest.fixture
def kari_client(client, kari):
    login(client, kari)
    return client
