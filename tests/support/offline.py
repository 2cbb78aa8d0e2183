"""The settings of a test that submits, notifies and stores files, with nothing outside it."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def offline_values(storage: Path) -> dict[str, Any]:
    """Private storage and VAR_DIR under ``storage``, mail in memory, the console SMS channel,
    the local (synthetic) registers. The ``offline_settings`` fixture of tests/conftest.py
    sets them per test; a module-scoped fixture can pass them to ``override_settings``."""
    from django.conf import settings

    return {
        "ALLOW_SYNTHETIC_IDS": True,
        "STORAGES": {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": storage / "private", "base_url": None},
            },
        },
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "ANTIVIRUS": "none",
        "VAR_DIR": storage / "var",
        "SMS_CHANNEL": "console",
        "CONTACT_REGISTER": "local",
        "POPULATION_REGISTER": "local",
        "PROPERTY_REGISTER": "local",
        "BASE_URL": "https://iktipet.test",
    }
