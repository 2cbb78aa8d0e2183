"""Fixtures: Oslo's agencies, private storage and VAR_DIR in tmp, mail in memory."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer

import pytest
from messaging_helpers import GatewayState, gateway_handler


@pytest.fixture(autouse=True)
def _messaging_settings(settings, tmp_path):
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
    settings.NOTIFY_MAX_ATTEMPTS = 5


@pytest.fixture
def agencies(db):
    """Oslo kommune and its four agencies, as `iktipet load_demo` makes them."""
    from iktipet.core.demo_data import load_municipality
    from iktipet.core.models import Agency

    load_municipality()
    return {agency.slug: agency for agency in Agency.objects.all()}


@pytest.fixture
def thread(agencies):
    from iktipet.messaging.services import open_thread

    return open_thread(
        agency=agencies["naeringsetaten"],
        subject_type="cases.case",
        subject_id="case-1",
        title="Skjenkebevilling 2026/000001",
    )


@pytest.fixture
def gateway():
    """A local SMS gateway: set ``gateway.status`` / ``gateway.delay`` per test."""
    state = GatewayState()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), gateway_handler(state))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/sms"
    yield state
    httpd.shutdown()
    httpd.server_close()
