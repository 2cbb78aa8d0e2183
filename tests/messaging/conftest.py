"""Fixtures: Oslo's agencies, private storage and VAR_DIR in tmp, mail in memory."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer

import pytest

from support.messaging import GatewayState, gateway_handler


@pytest.fixture(autouse=True)
def _messaging_settings(offline_settings):
    offline_settings.NOTIFY_MAX_ATTEMPTS = 5


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
