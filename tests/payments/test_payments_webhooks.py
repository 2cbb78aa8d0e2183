"""The webhook endpoint: verified, idempotent, order-independent; forged and stale ones change
nothing."""

from __future__ import annotations

import time

import pytest

from iktipet.core.models import AuditEvent, DomainEvent
from iktipet.payments.models import OrderEvent, PaymentOrder
from support.payments import approve, event_for, make_order, post_webhook, start

pytestmark = pytest.mark.django_db
SECRET = "test-secret-0123456789abcdef"


@pytest.fixture
def paid_order(pay_settings, agency, kari, payable):
    order = make_order(agency, kari)
    start(order, kari)
    return order


def _state(order):
    order.refresh_from_db()
    return order.state


def test_an_authorized_webhook_authorizes_once(client, paid_order, payable):
    bank_row = approve(paid_order)
    event = event_for(bank_row, 1)
    assert post_webhook(client, event, SECRET).status_code == 200
    assert _state(paid_order) == "authorized"
    history = OrderEvent.objects.filter(order=paid_order).count()
    events = DomainEvent.objects.count()
    assert post_webhook(client, event, SECRET).status_code == 200  # the same delivery again
    assert OrderEvent.objects.filter(order=paid_order).count() == history
    assert DomainEvent.objects.count() == events
    assert payable.authorized == ["p1"]


def test_a_forged_webhook_is_401_and_changes_nothing(client, paid_order, payable):
    bank_row = approve(paid_order)
    before = (OrderEvent.objects.count(), AuditEvent.objects.count(), DomainEvent.objects.count())
    response = post_webhook(client, event_for(bank_row, 1), "not-the-secret-at-all")
    assert response.status_code == 401
    assert post_webhook(client, event_for(bank_row, 2), SECRET, tamper=True).status_code == 401
    unsigned = client.post("/betaling/webhook/testbank/", b"{}", content_type="application/json")
    assert unsigned.status_code == 401
    assert _state(paid_order) == "pending"
    assert (
        OrderEvent.objects.count(),
        AuditEvent.objects.count(),
        DomainEvent.objects.count(),
    ) == before
    assert payable.authorized == []


def test_a_replay_outside_the_window_is_400(client, paid_order):
    bank_row = approve(paid_order)
    stale = int(time.time()) - 3600
    assert post_webhook(client, event_for(bank_row, 1), SECRET, timestamp=stale).status_code == 400
    assert _state(paid_order) == "pending"


def test_a_malformed_body_is_400(client, paid_order):
    from iktipet.payments.testbank import signing

    body = b'{"id": "x", "payment": {"state": "nonsense"}}'
    response = client.post(
        "/betaling/webhook/testbank/",
        body,
        content_type="application/json",
        HTTP_TESTBANK_SIGNATURE=signing.sign(body, SECRET),
    )
    assert response.status_code == 400
    assert _state(paid_order) == "pending"


def test_webhooks_in_the_wrong_order_end_in_the_right_state(client, paid_order):
    from iktipet.payments import services

    bank_row = approve(paid_order)
    created = event_for(bank_row, 1, state="created")
    authorized = event_for(bank_row, 2)
    captured = event_for(bank_row, 3, "captured", captured=52_000, fee=620)
    assert post_webhook(client, captured, SECRET).status_code == 200
    paid_order.refresh_from_db()
    assert (paid_order.state, paid_order.captured_ore, paid_order.fee_ore) == (
        "captured",
        52_000,
        620,
    )
    for late in (authorized, created):  # late news never undoes a capture
        assert post_webhook(client, late, SECRET).status_code == 200
    assert _state(paid_order) == "captured"
    # The worker's capture finds it done: no second capture at the provider.
    services.capture(paid_order)
    bank_row.refresh_from_db()
    assert bank_row.captured_ore == 0  # the event was invented above; the bank captured nothing


def test_an_unknown_payment_is_answered_200_and_ignored(client, pay_settings, agency, kari):
    order = make_order(agency, kari)
    event = {
        "id": "tb_unknown.1",
        "type": "payment.authorized",
        "created": "2026-12-07T03:00:00+00:00",
        "payment": {
            "id": "tb_unknown",
            "reference": "B-NOPE-1",
            "state": "authorized",
            "amount": 1,
            "captured": 0,
            "refunded": 0,
            "cancelled": 0,
            "fee": 0,
        },
    }
    assert post_webhook(client, event, SECRET).status_code == 200
    assert PaymentOrder.objects.get(pk=order.pk).state == "open"


def test_an_unknown_provider_is_404(client, pay_settings):
    assert (
        client.post("/betaling/webhook/nobank/", b"{}", content_type="application/json").status_code
        == 404
    )
