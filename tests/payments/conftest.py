"""Payments fixtures (helpers in tests/support/payments.py)."""

from __future__ import annotations

import pytest
from django.test import Client

from iktipet.payments.payables import register_payable, unregister_payable
from support.payments import RecordingPayable


@pytest.fixture
def pay_settings(offline_settings):
    offline_settings.PAYMENT_PROVIDERS = ["testbank"]
    offline_settings.TESTBANK_WEBHOOK_DELAY_SECONDS = 0
    offline_settings.TESTBANK_SECRET = "test-secret-0123456789abcdef"
    return offline_settings


@pytest.fixture
def payable():
    recorder = RecordingPayable()
    register_payable("test", recorder)
    yield recorder
    unregister_payable("test")


@pytest.fixture
def agency(agencies):
    return agencies["naeringsetaten"]


@pytest.fixture
def webhook_client(monkeypatch):
    """The testbank's webhooks go to the platform through this client (not over a socket)."""
    from iktipet.payments.testbank import webhooks

    client = Client()
    delivered: list[int] = []

    def post(url, body, headers):
        path = url.split("://", 1)[-1].partition("/")[2]
        extra = {
            f"HTTP_{key.upper().replace('-', '_')}": value
            for key, value in headers.items()
            if key != "Content-Type"
        }
        response = client.post("/" + path, body, content_type="application/json", **extra)
        delivered.append(response.status_code)
        return response.status_code

    monkeypatch.setattr(webhooks, "post", post)
    return delivered


@pytest.fixture
def kari(db):
    from iktipet.accounts.services import find_or_create_person
    from support.payments import KARI

    return find_or_create_person(KARI)
