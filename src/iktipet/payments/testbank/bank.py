"""The testbank's book: what a provider does with a payment, on its own table.

Every change sends a webhook (through the worker, after a delay). Capture, cancel and refund
remember their idempotency keys: the same key again answers as before and moves no money,
and no key can capture more than was reserved or refund more than was captured.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from iktipet.core.tasks import enqueue
from iktipet.payments.models import TestbankPayment
from iktipet.payments.providers.base import (
    PaymentRequest,
    ProviderRefused,
    ProviderState,
    ProviderStatus,
)

State = TestbankPayment.State
#: What the tester may choose on the checkout page, and where it leaves the payment.
DECISIONS = {"approve": State.AUTHORIZED, "decline": State.FAILED, "abandon": State.ABORTED}


def fee_for(amount_ore: int) -> int:
    """The testbank's fee: 1 kr + 1 % (so reconciliation has fees to show)."""
    return 100 + amount_ore // 100


def snapshot(payment: TestbankPayment) -> dict[str, Any]:
    return {
        "id": payment.id,
        "reference": payment.reference,
        "state": payment.state,
        "amount": payment.amount_ore,
        "captured": payment.captured_ore,
        "refunded": payment.refunded_ore,
        "cancelled": payment.cancelled_ore,
        "fee": payment.fee_ore,
    }


def status_of(payment: TestbankPayment, *, event_id: str = "", name: str = "") -> ProviderStatus:
    authorized = payment.amount_ore if payment.state == State.AUTHORIZED else 0
    return ProviderStatus(
        provider_reference=payment.id,
        state=ProviderState(payment.state),
        authorized_ore=authorized or None,
        captured_ore=payment.captured_ore,
        refunded_ore=payment.refunded_ore,
        cancelled_ore=payment.cancelled_ore,
        fee_ore=payment.fee_ore or None,
        event_id=event_id,
        event_name=name,
    )


def _send(payment: TestbankPayment, name: str, delay: int) -> None:
    """Queue the webhook for this change (in the change's transaction)."""
    from iktipet.payments.testbank import webhooks

    TestbankPayment.objects.filter(pk=payment.pk).update(events_sent=payment.events_sent + 1)
    payment.events_sent += 1
    event = {
        "id": f"{payment.id}.{payment.events_sent}",
        "type": f"payment.{name}",
        "created": timezone.now().isoformat(),
        "payment": snapshot(payment),
    }
    task = webhooks.deliver_webhook
    if delay:
        task = task.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
    enqueue(task, payment.webhook_url, event, 1)


def create(request: PaymentRequest, *, delay: int) -> TestbankPayment:
    with transaction.atomic():
        payment, created = TestbankPayment.objects.get_or_create(
            idempotency_key=request.idempotency_key or secrets.token_hex(16),
            defaults={
                "id": "tb_" + secrets.token_hex(10),
                "reference": request.reference,
                "amount_ore": request.amount_ore,
                "currency": request.currency,
                "description": request.description[:200],
                "return_url": request.return_url,
                "webhook_url": request.webhook_url,
            },
        )
        if created:
            _send(payment, "created", delay)
    return payment


def checkout_url(payment: TestbankPayment) -> str:
    return reverse("payments:testbank_checkout", args=[payment.id])


def _locked(payment_id: str) -> TestbankPayment:
    found = TestbankPayment.objects.select_for_update().filter(pk=payment_id).first()
    if found is None:
        raise ProviderRefused("unknown payment", code="not_found", status=404)
    return found


def decide(payment_id: str, decision: str, *, delay: int) -> TestbankPayment:
    """The tester's choice on the checkout page; a second choice changes nothing."""
    with transaction.atomic():
        payment = _locked(payment_id)
        if payment.state == State.CREATED and decision in DECISIONS:
            payment.state = DECISIONS[decision]
            payment.save(update_fields=["state", "updated_at"])
            _send(payment, payment.state, delay)
    return payment


def expire_if_due(payment_id: str, *, lifetime: dt.timedelta, delay: int) -> TestbankPayment:
    with transaction.atomic():
        payment = _locked(payment_id)
        if payment.state == State.CREATED and payment.created_at < timezone.now() - lifetime:
            payment.state = State.EXPIRED
            payment.save(update_fields=["state", "updated_at"])
            _send(payment, "expired", delay)
    return payment


def _once(payment: TestbankPayment, key: str) -> bool:
    """True the first time ``key`` is seen on ``payment`` (and remembers it)."""
    if key in payment.operation_keys:
        return False
    payment.operation_keys = [*payment.operation_keys, key]
    return True


def capture(payment_id: str, amount_ore: int, key: str, *, delay: int) -> TestbankPayment:
    with transaction.atomic():
        payment = _locked(payment_id)
        if not _once(payment, key):
            return payment
        if payment.state != State.AUTHORIZED:
            raise ProviderRefused("payment is not authorized", code="not_authorized", status=409)
        if amount_ore <= 0 or payment.captured_ore + amount_ore > payment.amount_ore:
            raise ProviderRefused("amount exceeds the reserved amount", code="amount", status=400)
        payment.captured_ore += amount_ore
        payment.fee_ore = fee_for(payment.captured_ore)
        payment.save()
        _send(payment, "captured", delay)
    return payment


def cancel(payment_id: str, key: str, *, delay: int) -> TestbankPayment:
    with transaction.atomic():
        payment = _locked(payment_id)
        if not _once(payment, key) or payment.state == State.TERMINATED:
            return payment
        if payment.captured_ore:
            raise ProviderRefused("payment is captured", code="captured", status=409)
        if payment.state not in (State.CREATED, State.AUTHORIZED):
            raise ProviderRefused("payment has ended", code="ended", status=409)
        payment.cancelled_ore = payment.amount_ore if payment.state == State.AUTHORIZED else 0
        payment.state = State.TERMINATED
        payment.save()
        _send(payment, "terminated", delay)
    return payment


def refund(payment_id: str, amount_ore: int, key: str, *, delay: int) -> TestbankPayment:
    with transaction.atomic():
        payment = _locked(payment_id)
        if not _once(payment, key):
            return payment
        if amount_ore <= 0 or payment.refunded_ore + amount_ore > payment.captured_ore:
            raise ProviderRefused("amount exceeds the captured amount", code="amount", status=400)
        payment.refunded_ore += amount_ore
        payment.save()
        _send(payment, "refunded", delay)
    return payment
