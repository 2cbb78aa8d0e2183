"""notify(now=True): a worker task writes a notice and makes its first attempt itself (no second
task); a failed attempt is retried as notify()'s are; a notice left pending by a worker
that died between writing it and sending it is sent again by the sweep (send_stalled)."""

from __future__ import annotations

import datetime

from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from iktipet.messaging.models import Notification
from iktipet.messaging.services import notify
from iktipet.messaging.tasks import STALLED_AFTER, send_notification, send_stalled
from iktipet.ops.periodic import schedules
from support.messaging import KARI, FailingSmsChannel

TASK_PATH = "iktipet.messaging.tasks.send_notification"
LINK = "/min-side/saker/8d0c7a52-1c1e-4a57-9d0e-7f8f6d1b2c3a/"
CONTEXT = {"reference": "2026/000123", "service_title": "Skjenkebevilling"}


def _arguments(agencies) -> dict:
    return {
        "event": "case.received",
        "pid": KARI,
        "agency": agencies["naeringsetaten"],
        "link_path": LINK,
        "context": CONTEXT,
    }


def _queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at"))


def test_notify_now_writes_and_sends_the_notice_in_one_go(agencies):
    notification = notify(**_arguments(agencies), now=True)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)
    assert notification.retry_at is None and notification.sent_at is not None
    assert mail.outbox[0].subject == "Vi har mottatt saken din"
    assert sorted(notification.delivery_attempts.values_list("channel", "ok")) == [
        ("email", True),
        ("sms", True),
    ]
    assert not _queued()  # no second task: sent here


def test_a_failed_first_attempt_is_retried_with_its_backoff(agencies, settings):
    settings.SMS_CHANNEL = "test-failing"
    FailingSmsChannel.calls.clear()
    before = timezone.now()
    notification = notify(**_arguments(agencies), now=True)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("pending", 1)
    [retry] = _queued()
    assert retry.args_kwargs["args"] == [str(notification.pk)]
    assert retry.run_after == notification.retry_at
    assert datetime.timedelta(seconds=59) < notification.retry_at - before
    # The retry sends only what failed: the SMS, not the email again.
    settings.SMS_CHANNEL = "console"
    assert send_notification.call(str(notification.pk)) == "sent"
    assert len(mail.outbox) == 1 and len(FailingSmsChannel.calls) == 1


def _died_after_writing(agencies, minutes_ago: float) -> Notification:
    """The row notify(now=True) writes, as a worker left it that died before the outcome."""
    notification = Notification.objects.create(
        event="case.received",
        agency=agencies["naeringsetaten"],
        link_path=LINK,
        recipient_pid_encrypted=notify(**_arguments(agencies)).recipient_pid_encrypted,
        attempts=1,
        retry_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )
    return notification


def test_the_sweep_sends_a_notice_whose_worker_died_and_only_that_one(agencies):
    stalled = _died_after_writing(agencies, STALLED_AFTER.total_seconds() / 60 + 1)
    recent = _died_after_writing(agencies, 1)  # may still be in its attempt
    Notification.objects.exclude(pk__in=[stalled.pk, recent.pk]).delete()
    DBTaskResult.objects.all().delete()

    assert send_stalled.call() == 1
    [again] = _queued()
    assert again.args_kwargs["args"] == [str(stalled.pk)]
    assert send_stalled.call() == 0  # taken: not queued twice by the next sweep
    assert send_notification.call(str(stalled.pk)) == "sent"
    stalled.refresh_from_db()
    assert (stalled.status, stalled.attempts) == ("sent", 2)
    assert mail.outbox[0].subject == "Vi har mottatt saken din" and len(mail.outbox) == 1
    recent.refresh_from_db()
    assert (recent.status, recent.attempts) == ("pending", 1)


def test_the_sweep_leaves_a_notice_waiting_for_its_retry_alone(agencies, settings):
    settings.SMS_CHANNEL = "test-failing"
    notification = notify(**_arguments(agencies), now=True)
    # The retry's time has come, but not the sweep's: the retry task is queued for it.
    Notification.objects.filter(pk=notification.pk).update(retry_at=timezone.now())
    assert send_stalled.call() == 0
    assert "messaging.send_stalled" in schedules()


def test_notify_marks_a_notice_due_now_for_the_sweep(agencies):
    before = timezone.now()
    notification = notify(**_arguments(agencies))
    notification.refresh_from_db()
    assert notification.attempts == 0 and before <= notification.retry_at <= timezone.now()
