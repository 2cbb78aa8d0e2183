"""Sending a notification in the worker, with retries and backoff."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from iktipet.core.tasks import background, enqueue

logger = logging.getLogger(__name__)


def backoff(attempt: int) -> datetime.timedelta:
    """Wait after the ``attempt``-th failure: 1, 5, 25, 125 … minutes."""
    return datetime.timedelta(minutes=5 ** max(attempt - 1, 0))


@background()
def send_notification(notification_id: str) -> str:
    """Deliver one notification; returns its status. Safe to run twice."""
    from iktipet.messaging.delivery import deliver
    from iktipet.messaging.models import Notification

    Status = Notification.Status
    notification = (
        Notification.objects.select_related("agency", "recipient_user")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None:
        return "missing"
    if notification.status != Status.PENDING:
        return notification.status  # already sent, queued for print, or given up
    # Claim this attempt number: of two runs at once, one proceeds and the other stops.
    claimed = Notification.objects.filter(
        pk=notification.pk, status=Status.PENDING, attempts=notification.attempts
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return "claimed"
    notification.attempts += 1

    outcome = deliver(notification)
    status, error = outcome.status, outcome.error
    if status == Status.PENDING:
        if notification.attempts < settings.NOTIFY_MAX_ATTEMPTS:
            run_after = timezone.now() + backoff(notification.attempts)
            enqueue(send_notification.using(run_after=run_after), str(notification.pk))
        else:
            status = Status.FAILED
            logger.warning(
                "notification failed for good",
                extra={"notification": str(notification.pk), "attempts": notification.attempts},
            )
    sent_at = timezone.now() if status in (Status.SENT, Status.PRINT_QUEUED) else None
    Notification.objects.filter(pk=notification.pk).update(
        status=status, last_error=error[:2000], sent_at=sent_at
    )
    if status == Status.SENT:
        from iktipet.messaging.signals import notification_sent

        notification.status, notification.sent_at = status, sent_at
        notification_sent.send(sender=Notification, notification=notification)
    return status
