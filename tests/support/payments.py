"""Helpers for the payments tests: a payable kind that records, making an order, the worker."""

from __future__ import annotations

from iktipet.core.errors import ActionRefused
from iktipet.payments.payables import Payable
from iktipet.payments.providers.base import OrderLine

KARI = "17819049912"
OLA = "03868849974"


class RecordingPayable(Payable):
    """A payable kind for tests: records its calls; ``refuse`` makes on_authorized refuse."""

    def __init__(self) -> None:
        self.authorized: list[str] = []
        self.cancelled: list[str] = []
        self.refuse = ""

    def on_authorized(self, order):
        if self.refuse:
            raise ActionRefused(self.refuse)
        self.authorized.append(order.payable_id)

    def on_cancelled(self, order):
        self.cancelled.append(order.payable_id)

    def return_path(self, order):
        return f"/min-side/?paid={order.payable_id}"


def make_order(agency, person, payable_id="p1", lines=None, **extra):
    from iktipet.accounts.parties import myself
    from iktipet.payments import services

    return services.create_order(
        payable=("test", payable_id),
        agency=agency,
        title="Skjenkebevilling for en enkelt anledning",
        lines=lines or [OrderLine("Gebyr", 1, 52_000)],
        user=person.user,
        party=myself(person),
        **extra,
    )


def run_worker(rounds=10):
    """Run every queued task that is due (webhooks, captures, notifications) as the worker
    would, in the test's own connection (the real worker closes connections between ticks).
    A task's failure fails the test."""
    from django_tasks_db.models import DBTaskResult

    ran = 0
    for _round in range(rounds):
        due = list(DBTaskResult.objects.ready().order_by("enqueued_at"))
        if not due:
            return ran
        for row in due:
            row.claim("test")
            result = row.task_result
            row.task.call(*result.args, **result.kwargs)
            row.set_successful(None)
            ran += 1
    return ran


def approve(order, decision="approve"):
    """Start paying ``order`` (as its payer would) and decide at the testbank; the bank row."""
    from django.conf import settings

    from iktipet.payments.models import TestbankPayment
    from iktipet.payments.testbank import bank

    reference = order.attempts.order_by("-number").first().provider_reference
    bank.decide(reference, decision, delay=settings.TESTBANK_WEBHOOK_DELAY_SECONDS)
    return TestbankPayment.objects.get(pk=reference)


def start(order, person, provider="testbank"):
    from iktipet.accounts.parties import myself
    from iktipet.payments import services

    return services.start_payment(
        order,
        provider=provider,
        user=person.user,
        party=myself(person),
        base_url="https://iktipet.test/",
    )


def event_for(payment, number, name=None, **changes):
    """A testbank webhook body for ``payment`` as it is now (``changes`` override fields)."""
    from iktipet.payments.testbank import bank

    snapshot = {**bank.snapshot(payment), **changes}
    return {
        "id": f"{payment.id}.x{number}",
        "type": f"payment.{name or snapshot['state']}",
        "created": "2026-12-07T03:00:00+00:00",
        "payment": snapshot,
    }


def post_webhook(
    client, event, secret, *, timestamp=None, provider="testbank", tamper=False, path=None
):
    import json

    from iktipet.payments.testbank import signing

    body = json.dumps(event).encode()
    header = signing.sign(body, secret, timestamp)
    if tamper:
        body = body.replace(b'"amount":', b'"amount":1')
    return client.post(
        path or f"/betaling/webhook/{provider}/",
        body,
        content_type="application/json",
        HTTP_TESTBANK_SIGNATURE=header,
    )


def paid(order, person):
    """``order`` paid through the testbank and captured by the worker's service."""
    from iktipet.payments import services

    start(order, person)
    approve(order)
    services.refresh_from_provider(order)
    return services.capture(order)


def take_webhooks():
    """The testbank's queued webhook deliveries, taken off the queue: (path, event) pairs for
    a test to deliver as it likes (twice, in reverse, never, forged)."""
    from django_tasks_db.models import DBTaskResult

    rows = list(
        DBTaskResult.objects.filter(task_path__endswith="deliver_webhook").order_by("enqueued_at")
    )
    taken = []
    for row in rows:
        url, event = row.args_kwargs["args"][:2]
        taken.append(("/" + url.split("://", 1)[-1].partition("/")[2], event))
    DBTaskResult.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return taken
