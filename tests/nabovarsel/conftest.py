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
def _nabovarsel_settings(settings, tmp_path):
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
    settings.VAR_DIR = tmp_path / "var"
    settings.SMS_CHANNEL = "console"
    settings.CONTACT_REGISTER = "local"
    settings.POPULATION_REGISTER = "local"
    settings.PROPERTY_REGISTER = "local"
    settings.BASE_URL = "https://iktipet.test"


@pytest.fixture
def agencies(db):
    """Oslo kommune and its agencies, as `iktipet load_demo` makes them."""
    from iktipet.core.demo_data import load_municipality
    from iktipet.core.models import Agency

    load_municipality()
    return {agency.slug: agency for agency in Agency.objects.all()}


@pytest.fixture
def nabovarsel_service(agencies):
    from applications_helpers import publish, seed

    return publish(seed("nabovarsel"))
