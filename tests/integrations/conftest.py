"""The API over real HTTP: a live server with TestID's Maskinporten on and a registered
back-office client (support.backoffice)."""

from __future__ import annotations

import pytest

from support.backoffice import ORGNR, Backoffice, make_backoffice
from support.webhook_receiver import Receiver


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


@pytest.fixture
def hooks(backoffice, settings):
    """A receiver on loopback, subscribed to Næringsetaten's events (http on loopback is
    allowed under DEBUG only, as in production it must be https)."""
    from iktipet.core.models import Agency
    from iktipet.integrations.models import Subscription

    settings.DEBUG = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    receiver = Receiver().start()
    subscription = Subscription.objects.create(
        agency=Agency.objects.get(slug="naeringsetaten"), url=receiver.url
    )
    receiver.secret = subscription.secret
    yield receiver, subscription
    receiver.stop()
