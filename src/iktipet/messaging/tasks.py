"""Sending a notification in the worker, with retries and backoff.

An attempt is claimed by raising ``attempts`` conditionally, so of two runs at once one
sends and the other stops. ``retry_at`` says when the next attempt is due; a notice still
pending long after that lost its attempt (the worker died between writing it and sending
it, or mid-send) and :func:`send_stalled` gives it a new one.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from iktipet.core.tasks import background, enqueue
from iktipet.ops.periodic import every

if TYPE_CHECKING:
    from iktipet.messaging.models import Notification

logger = logging.getLogger(__name__)

#: A pending notice this long past its ``retry_at`` has no attempt coming: longer than any
#: one attempt takes (the register look-ups and the channels time out in seconds) and than
#: a busy worker's queue is late.
STALLED_AFTER = datetime.timedelta(minutes=15)
#: At most this many stalled notices are given a new attempt per sweep.
SWEEP_LIMIT = 500


def backoff(attempt: int) -> datetime.timedelta:
    """Wait after the ``attempt``-th failure: 1, 5, 25, 125 … minutes."""
    return datetime.timedelta(minutes=5 ** max(attempt - 1, 0))


@background()
def send_notification(notification_id: str) -> str:
    """Deliver one notification; returns its status. Safe to run twice."""
    from iktipet.messaging.models import Notification

    notification = (
        Notification.objects.select_related("agency", "recipient_user")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        return "missing"
    if notification.status != Notification.Status.PENDING:
        return notification.status  # already sent, queued for print, or given up
    # Claim this attempt number: of two runs at once, one proceeds and the other stops.
    claimed = Notification.objects.filter(
        pk=notification.pk, status=Notification.Status.PENDING, attempts=notification.attempts
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return "claimed"
    notification.attempts += 1
    return attempt(notification)


def attempt(notification: Notification) -> str:
    """One delivery attempt of a notification whose attempt number the caller has claimed
    (``attempts`` already counts it); records the outcome and enqueues a retry if due."""
    from iktipet.messaging.delivery import deliver
    from iktipet.messaging.models import Notification

    Status = Notification.Status
    outcome = deliver(notification)
    status, error = outcome.status, outcome.error
    retry_at = None
    if status == Status.PENDING:
        if notification.attempts < settings.NOTIFY_MAX_ATTEMPTS:
            retry_at = timezone.now() + backoff(notification.attempts)
            enqueue(send_notification.using(run_after=retry_at), str(notification.pk))
        else:
            status = Status.FAILED
            logger.warning(
                "notification failed for good",
                extra={"notification": str(notification.pk), "attempts": notification.attempts},
            )
    sent_at = timezone.now() if status in (Status.SENT, Status.PRINT_QUEUED) else None
    Notification.objects.filter(pk=notification.pk).update(
        status=status, last_error=error[:2000], sent_at=sent_at, retry_at=retry_at
    )
    if status == Status.SENT:
        from iktipet.messaging.signals import notification_sent

        notification.status, notification.sent_at = status, sent_at
        notification_sent.send(sender=Notification, notification=notification)
    return status


@every(datetime.timedelta(minutes=5), name="messaging.send_stalled")
@background(queue_name="periodic")
def send_stalled() -> int:
    """A new attempt for each notice left pending with no attempt coming (its worker died
    after writing it or mid-send). Of two sweeps at once, each notice is taken by one: its
    ``retry_at`` moves on conditionally. Returns how many were taken."""
    from iktipet.messaging.models import Notification

    now = timezone.now()
    stalled = Notification.objects.filter(
        status=Notification.Status.PENDING, retry_at__lt=now - STALLED_AFTER
    ).order_by("retry_at")
    taken = 0
    for pk, due in stalled.values_list("pk", "retry_at")[:SWEEP_LIMIT]:
        if Notification.objects.filter(pk=pk, retry_at=due).update(retry_at=now):
            enqueue(send_notification, str(pk))
            taken += 1
    if taken:
        logger.warning("stalled notifications sent again", extra={"count": taken})
    return taken
