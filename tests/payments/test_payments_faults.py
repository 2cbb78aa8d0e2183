"""Fault injection: webhooks duplicated, reordered, missing and forged, and a provider that
times out and then recovers. Every order ends in its right state, and nothing is captured
twice or lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from iktipet.core.errors import ActionRefused
from iktipet.payments import services
from iktipet.payments.models import PaymentAttempt, PaymentOrder
from iktipet.payments.models import TestbankPayment as BankPayment
from iktipet.payments.providers.base import ProviderUnavailable, payment_providers
from iktipet.payments.providers.testbank import TestbankProvider as BankProvider
from iktipet.payments.testbank import bank
from support.payments import approve, make_order, post_webhook, run_worker, start, take_webhooks

pytestmark = pytest.mark.django_db
SECRET = "test-secret-0123456789abcdef"


class FlakyBank(BankProvider):
    """The testbank, but each call named in ``failures`` times out that many times first."""

    failures: dict[str, int] = {}

    def _maybe_fail(self, call: str) -> None:
        if self.failures.get(call, 0) > 0:
            self.failures[call] -= 1
            raise ProviderUnavailable(f"{call} timed out")

    def create(self, request):
        self._maybe_fail("create")
        return super().create(request)

    def get_status(self, provider_reference):
        self._maybe_fail("get_status")
        return super().get_status(provider_reference)

    def capture(self, provider_reference, amount_ore, *, idempotency_key):
        self._maybe_fail("capture")
        return super().capture(provider_reference, amount_ore, idempotency_key=idempotency_key)

    def cancel(self, provider_reference, *, idempotency_key):
        self._maybe_fail("cancel")
        return super().cancel(provider_reference, idempotency_key=idempotency_key)

    def refund(self, provider_reference, amount_ore, *, idempotency_key, reason=""):
        self._maybe_fail("refund")
        return super().refund(provider_reference, amount_ore, idempotency_key=idempotency_key)


@pytest.fixture
def flaky(pay_settings):
    payment_providers.register("flakybank")(FlakyBank)
    pay_settings.PAYMENT_PROVIDERS = ["testbank", "flakybank"]
    pay_settings.PAYMENT_POLL_AFTER_SECONDS = 60
    pay_settings.PAYMENT_ATTEMPT_MINUTES = 30
    FlakyBank.failures = {}
    yield FlakyBank
    payment_providers.unregister("flakybank")


def later(minutes):
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_every_order_ends_right_whatever_the_webhooks_and_timeouts(
    client, flaky, agency, kari, payable
):
    orders = {
        name: make_order(agency, kari, name)
        for name in (
            "dup",
            "rev",
            "missing",
            "declined",
            "abandoned",
            "forged",
            "slow_create",
            "slow_capture",
            "refused",
        )
    }
    payable.refuse = ""
    for name, order in orders.items():
        if name == "slow_create":
            continue
        start(order, kari, "flakybank")

    # A provider that times out on create: a clear message, nothing lost, one payment later.
    flaky.failures["create"] = 1
    with pytest.raises(ActionRefused) as refused:
        start(orders["slow_create"], kari, "flakybank")
    assert refused.value.code == "provider_unavailable"
    assert "Ingenting er belastet" in refused.value.message
    first_key = PaymentAttempt.objects.get(order=orders["slow_create"]).idempotency_key
    start(orders["slow_create"], kari, "flakybank")  # recovered: the same key, one payment
    attempt = PaymentAttempt.objects.get(order=orders["slow_create"])
    assert attempt.idempotency_key == first_key and attempt.state == "created"

    for name in ("dup", "rev", "missing", "forged", "slow_create", "slow_capture", "refused"):
        approve(orders[name])
    approve(orders["declined"], "decline")
    # "abandoned": the person never comes back.

    webhooks = take_webhooks()
    by_payment: dict[str, list] = {}
    for path, event in webhooks:
        by_payment.setdefault(event["payment"]["id"], []).append((path, event))

    def bank_id(name):
        return PaymentAttempt.objects.get(order=orders[name]).provider_reference

    def deliver(name, *, order=1, times=1):
        for path, event in by_payment.get(bank_id(name), [])[::order]:
            for _ in range(times):
                assert post_webhook(client, event, SECRET, path=path).status_code == 200

    deliver("dup", times=2)
    deliver("rev", order=-1)
    deliver("slow_create")
    deliver("slow_capture")
    payable.refuse = "Reservasjonen er utløpt."
    deliver("refused")
    payable.refuse = ""
    # Forged: refused, and changes nothing; the genuine one later does.
    path, event = by_payment[bank_id("forged")][-1]
    assert post_webhook(client, event, "a-forger-does-not-know-it", path=path).status_code == 401
    assert PaymentOrder.objects.get(pk=orders["forged"].pk).state == "pending"
    deliver("forged")
    # "missing" and "declined": their webhooks never arrive.

    flaky.failures["capture"] = 2  # the first captures time out ...
    run_worker()
    flaky.failures["get_status"] = 1  # ... and the poller's first question too
    for minutes in (2, 4, 6):  # the poller runs; the provider recovers
        services.poll_pending(later(minutes))
        run_worker()
    services.poll_pending(later(40))  # the abandoned one has expired
    run_worker()
    take_webhooks()

    states = {name: PaymentOrder.objects.get(pk=order.pk) for name, order in orders.items()}
    for name in ("dup", "rev", "missing", "forged", "slow_create", "slow_capture"):
        assert states[name].state == "captured", name
        assert states[name].captured_ore == 52_000, name
    for name in ("declined", "abandoned", "refused"):
        assert states[name].state == "open", name  # the person can pay again
    assert sorted(payable.authorized) == sorted(
        ["dup", "rev", "missing", "forged", "slow_create", "slow_capture"]
    )
    # The provider's book agrees: one capture per paid order, none for the others.
    for name, order in orders.items():
        rows = BankPayment.objects.filter(reference__startswith=order.reference + "-")
        assert sum(row.captured_ore for row in rows) == states[name].captured_ore, name
        assert all(row.captured_ore <= row.amount_ore for row in rows)
    assert BankPayment.objects.get(pk=bank_id("abandoned")).state == "terminated"
    assert BankPayment.objects.get(pk=bank_id("refused")).state == "terminated"
    assert BankPayment.objects.get(pk=bank_id("declined")).state == "failed"
    assert not PaymentAttempt.objects.filter(cancel_pending=True).exists()


def test_an_abandoned_attempt_expires_and_the_order_can_be_paid_again(
    client, pay_settings, agency, kari, payable, webhook_client
):
    order = make_order(agency, kari)
    first = start(order, kari)
    services.poll_pending(later(31))
    run_worker()
    order.refresh_from_db()
    assert order.state == "open"
    attempt = order.attempts.get()
    assert attempt.state == "expired" and not attempt.cancel_pending
    assert BankPayment.objects.get(pk=attempt.provider_reference).state == "terminated"
    second = start(order, kari)
    assert second != first
    approve(order)
    assert services.refresh_from_provider(order).state == "authorized"


def test_a_changed_amount_replaces_the_lines_and_cancels_the_started_payment(
    pay_settings, agency, kari, payable, webhook_client
):
    from iktipet.payments.providers.base import OrderLine

    order = make_order(agency, kari)
    start(order, kari)
    changed = make_order(agency, kari, lines=[OrderLine("Gebyr", 2, 30_000)])
    assert changed.pk == order.pk
    changed.refresh_from_db()
    assert (changed.state, changed.amount_ore) == ("open", 60_000)
    # The person approves the old payment before its cancel reaches the bank: never taken.
    old = order.attempts.get(number=1)
    bank.decide(old.provider_reference, "approve", delay=0)
    services.settle_from_provider("testbank", bank.status_of(bank_row(old)))
    changed.refresh_from_db()
    assert changed.state == "open" and changed.authorized_ore == 0
    assert payable.authorized == []
    run_worker()
    old.refresh_from_db()
    assert old.state == "cancelled"
    assert bank_row(old).state == "terminated" and bank_row(old).captured_ore == 0
    start(changed, kari)
    assert changed.attempts.filter(state="created").get().amount_ore == 60_000


def bank_row(attempt):
    return BankPayment.objects.get(pk=attempt.provider_reference)


def test_a_refund_the_provider_does_not_answer_is_completed_by_the_poller(
    flaky, agency, kari, payable, webhook_client
):
    from django.test import Client

    from iktipet.accounts.testing import sign_in_staff

    order = make_order(agency, kari)
    start(order, kari, "flakybank")
    approve(order)
    services.refresh_from_provider(order)
    services.capture(order)
    staff = sign_in_staff(Client(), [("naeringsetaten", "finance")])
    flaky.failures["refund"] = 1
    pending = services.refund(order, 10_000, user=staff, reason="Feil beløp")
    assert pending.state == "pending"
    order.refresh_from_db()
    assert order.refunded_ore == 10_000  # reserved: a second refund cannot take it again
    with pytest.raises(ActionRefused):
        services.refund(order, 45_000, user=staff, reason="For mye")
    services.poll_pending(later(2))
    pending.refresh_from_db()
    assert pending.state == "done"
    bank_row = BankPayment.objects.get(pk=order.provider_reference)
    assert bank_row.refunded_ore == 10_000


def test_the_return_page_when_the_provider_is_down_waits_and_loses_nothing(
    client, flaky, agency, payable
):
    from iktipet.accounts.testing import sign_in_citizen

    person = sign_in_citizen(client)
    order = make_order(agency, person)
    start(order, person, "flakybank")
    approve(order)
    flaky.failures["get_status"] = 1
    response = client.get(f"/betaling/{order.pk}/tilbake/")
    assert response.status_code == 200
    assert "Vi venter på svar om betalingen" in response.content.decode()
    assert PaymentOrder.objects.get(pk=order.pk).state == "pending"
    again = client.get(f"/betaling/{order.pk}/tilbake/")
    assert again.status_code == 302 and again["Location"] == "/min-side/?paid=p1"


def test_cancelling_a_claim_cancels_the_started_payment(
    pay_settings, agency, kari, payable, webhook_client
):
    order = make_order(agency, kari, due_date=dt.date(2027, 1, 1))
    start(order, kari)
    with pytest.raises(ActionRefused):
        services.cancel(order, reason=" ")
    services.cancel(order, reason="Kravet er trukket")
    run_worker()
    order.refresh_from_db()
    assert order.state == "cancelled"
    assert payable.cancelled == ["p1"]
    attempt = order.attempts.get()
    assert attempt.state == "cancelled" and not attempt.cancel_pending
    assert BankPayment.objects.get(pk=attempt.provider_reference).state == "terminated"
    # The payable may get a new order now.
    assert make_order(agency, kari).pk != order.pk
