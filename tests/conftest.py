"""Shared fixtures. SQLite by default; PostgreSQL when IKTIPET_DATABASE_URL says so."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached selectors must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def subprocess_env(tmp_path):
    """Environment for `python -m iktipet …` in a subprocess: none of the caller's IKTIPET_*
    settings, its own var/ directory. Add the variables a test is about."""
    prefixes = ("IKTIPET_", "DJANGO_", "PROMETHEUS_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env["IKTIPET_VAR_DIR"] = str(tmp_path / "var")
    return env


@pytest.fixture
def offline_settings(settings, tmp_path):
    """Settings for tests that submit, notify and store files: private storage and VAR_DIR
    in tmp, mail in memory, the console SMS channel, the local (synthetic) registers."""
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
    return settings


@pytest.fixture
def agencies(db):
    """Oslo kommune and its agencies, as `iktipet load_demo` makes them."""
    from iktipet.core.demo_data import load_municipality
    from iktipet.core.models import Agency

    load_municipality()
    return {agency.slug: agency for agency in Agency.objects.all()}
