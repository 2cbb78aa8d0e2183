"""Each domain event, as it is written, becomes one delivery per subscription that wants it:
in the same transaction as the event, so an event is never lost between the outbox and the
worker (and a rolled-back change sends nothing)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from iktipet.core import rows
from iktipet.core.models import DomainEvent
from iktipet.integrations.models import Delivery, Subscription


def fan_out(sender: Any, instance: DomainEvent, created: bool, **kwargs: Any) -> None:
    if not created or instance.agency_id is None:
        return
    agency_id = instance.agency_id
    # Every case change reads its agency's subscriptions: with SQL compiled once per
    # connection (core.rows), not built by the ORM on every event.
    subscriptions = [
        s
        for s in rows.every(
            Subscription,
            "integrations.fan_out",
            lambda using: Subscription.objects.using(using).filter(
                agency_id=agency_id, active=True
            ),
            lambda connection: [agency_id],
        )
        if s.wants(instance.type)
    ]
    if not subscriptions:
        return
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(subscription=s, event=instance, subject=instance.subject, next_attempt_at=now)
        for s in subscriptions
    )
    transaction.on_commit(_kick)


def _kick() -> None:
    """Start a delivery run now rather than at the next clock tick."""
    from iktipet.core.tasks import enqueue
    from iktipet.integrations.tasks import deliver_webhooks

    enqueue(deliver_webhooks)
