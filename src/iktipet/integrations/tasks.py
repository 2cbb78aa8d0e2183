"""The worker's jobs: deliver due webhooks (kicked on commit of every event, and every
10 seconds for retries), and prune delivered events after the retention."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from iktipet.core.models import DomainEvent
from iktipet.core.tasks import background
from iktipet.integrations.models import Delivery, IdempotentAnswer
from iktipet.integrations.webhooks.delivery import deliver_due
from iktipet.ops.periodic import every

IDEMPOTENCY_KEPT = dt.timedelta(days=1)
#: One run delivers until nothing is due or this many attempts were made.
RUN_LIMIT = 2000


@every(dt.timedelta(seconds=10), name="integrations.deliver_webhooks")
@background()
def deliver_webhooks() -> int:
    attempted = total = 0
    while total < RUN_LIMIT:
        attempted = deliver_due()
        total += attempted
        if not attempted:
            break
    return total


@every(dt.timedelta(hours=6), name="integrations.prune_events")
@background(queue_name="periodic")
def prune_events() -> int:
    """Delete domain events older than the retention whose every delivery was delivered.
    An event with a delivery still pending or dead is kept, however old. Stored idempotent
    answers are kept a day (a client retries within minutes)."""
    IdempotentAnswer.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_KEPT).delete()
    cutoff = timezone.now() - dt.timedelta(days=settings.EVENT_RETENTION_DAYS)
    undelivered = Delivery.objects.filter(event=OuterRef("pk")).exclude(
        status=Delivery.Status.DELIVERED
    )
    deleted, _ = (
        DomainEvent.objects.filter(occurred_at__lt=cutoff).exclude(Exists(undelivered)).delete()
    )
    return deleted
