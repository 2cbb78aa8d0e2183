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
def _cases_settings(settings, tmp_path):
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
    settings.BASE_URL = "https://iktipet.test"


@pytest.fixture
def agencies(db):
    """Oslo kommune and its four agencies, as `iktipet load_demo` makes them."""
    from iktipet.core.demo_data import load_municipality
    from iktipet.core.models import Agency

    load_municipality()
    return {agency.slug: agency for agency in Agency.objects.all()}


def _citizen_case_url_until_it_exists() -> None:
    """services.case_link reverses "cases:case" (the applicant's case page, written by the
    citizen-pages engineer). Until that page exists in this tree, stand in a view answering
    404 so opening a case can notify; the real page replaces this automatically."""
    from django.http import Http404
    from django.urls import path

    from iktipet.cases import citizen_urls

    if any(getattr(p, "name", None) == "case" for p in citizen_urls.urlpatterns):
        return

    def _missing(request, case_id):
        raise Http404

    citizen_urls.urlpatterns.append(path("<uuid:case_id>/", _missing, name="case"))


_citizen_case_url_until_it_exists()
