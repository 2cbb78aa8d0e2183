"""The whole path with the testbank: order → Betal → checkout → return → webhook → capture."""

from __future__ import annotations

import pytest

from iktipet.accounts.testing import sign_in_citizen
from iktipet.payments.models import PaymentAttempt, PaymentOrder
from iktipet.payments.models import TestbankPayment as BankPayment
from support.payments import make_order, run_worker

pytestmark = pytest.mark.django_db


def _checkout(client, order):
    response = client.post(f"/betaling/{order.pk}/betal/", {"provider": "testbank"})
    assert response.status_code == 302, response.content
    assert response["Location"].startswith("/betaling/testbank/tb_")
    return response["Location"]


def test_approve_authorizes_on_return_and_the_worker_captures(
    client, pay_settings, agency, payable, webhook_client
):
    person = sign_in_citizen(client)
    order = make_order(agency, person)
    page = client.get(f"/betaling/{order.pk}/")
    assert page.status_code == 200
    assert "520,00" in page.content.decode()
    checkout = _checkout(client, order)
    assert "TEST" in client.get(checkout).content.decode()
    back = client.post(checkout, {"decision": "approve"})
    assert back["Location"] == f"https://iktipet.test/betaling/{order.pk}/tilbake/" or back[
        "Location"
    ].endswith(f"/betaling/{order.pk}/tilbake/")
    landed = client.get(f"/betaling/{order.pk}/tilbake/")
    assert landed.status_code == 302
    assert landed["Location"] == "/min-side/?paid=p1"
    order.refresh_from_db()
    assert order.state == "authorized"
    assert payable.authorized == ["p1"]
    run_worker()  # the capture, and the testbank's webhooks
    order.refresh_from_db()
    assert order.state == "captured"
    assert order.captured_ore == 52_000
    bank = BankPayment.objects.get()
    assert bank.captured_ore == 52_000
    assert webhook_client and set(webhook_client) == {200}
    assert order.fee_ore == bank.fee_ore


def test_decline_leaves_the_order_open_to_pay_again(client, pay_settings, agency, payable):
    person = sign_in_citizen(client)
    order = make_order(agency, person)
    checkout = _checkout(client, order)
    client.post(checkout, {"decision": "decline"})
    landed = client.get(f"/betaling/{order.pk}/tilbake/")
    assert landed["Location"] == f"/betaling/{order.pk}/"
    order.refresh_from_db()
    assert order.state == "open"
    assert payable.authorized == []
    second = _checkout(client, order)
    assert second != checkout
    assert PaymentAttempt.objects.filter(order=order).count() == 2


def test_double_click_makes_one_attempt(client, pay_settings, agency, payable):
    person = sign_in_citizen(client)
    order = make_order(agency, person)
    first = _checkout(client, order)
    second = _checkout(client, order)
    assert first == second
    assert PaymentAttempt.objects.count() == 1
    assert BankPayment.objects.count() == 1
    assert make_order(agency, person).pk == order.pk
    assert PaymentOrder.objects.count() == 1
