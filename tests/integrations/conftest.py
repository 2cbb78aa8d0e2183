"""The API over real HTTP: a live server with TestID's Maskinporten on and a registered
back-office client (support.backoffice)."""

from __future__ import annotations

import pytest

from support.backoffice import ORGNR, Backoffice, make_backoffice


@pytest.fixture
def api_site(offline_settings, live_server, transactional_db, tmp_path):
    from iktipet.core.demo_data import load_municipality

    settings = offline_settings
    settings.TESTID_ENABLED = True
    settings.ROOT_URLCONF = "iktipet.testid.site_urls"
    settings.BASE_URL = live_server.url
    settings.API_AUDIENCE = f"{live_server.url}/api/v1"
    settings.API_TOKEN_ISSUERS = []
    load_municipality()
    return live_server.url


@pytest.fixture
def backoffice(api_site) -> Backoffice:
    return make_backoffice(api_site, ORGNR, ["naeringsetaten"])
