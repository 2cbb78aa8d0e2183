"""notify() writes an outbox row in the caller's transaction; the task finds the person in
the contact register and sends by email and SMS, or queues a letter; failures retry."""

from __future__ import annotations

import datetime
import uuid
from email.utils import parseaddr

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from iktipet.accounts.pid import decrypt_pid, pid_lookup_hash
from iktipet.messaging import selectors
from iktipet.messaging.models import DeliveryAttempt, Notification, PrintLetter
from iktipet.messaging.services import notify
from iktipet.messaging.tasks import send_notification
from iktipet.registers.contact import BaseContactRegister, contact_registers
from iktipet.registers.errors import RegisterUnavailable
from support.messaging import AKSEL, EMMA, KARI, NORA, FailingSmsChannel, make_user

TASK_PATH = "iktipet.messaging.tasks.send_notification"
CASE_ID = uuid.UUID("8d0c7a52-1c1e-4a57-9d0e-7f8f6d1b2c3a")
LINK = f"/min-side/saker/{CASE_ID}/"
CONTEXT = {"reference": "2026/000123", "service_title": "Skjenkebevilling"}


@contact_registers.register("test-down")
class DownContactRegister(BaseContactRegister):
    label = "Always unavailable (tests)"

    def get_contacts(self, pids):
        raise RegisterUnavailable("contact register", "timed out")


def _notify(agencies, pid=KARI, event="case.decided", **extra):
    return notify(
        event=event,
        pid=pid,
        agency=agencies["naeringsetaten"],
        link_path=LINK,
        context=CONTEXT,
        **extra,
    )


def _queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at"))


def _outbox(settings) -> list[str]:
    path = settings.VAR_DIR / "sms" / "outbox.log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_notify_stores_no_pid_in_clear_and_enqueues_the_task(agencies):
    notification = _notify(agencies)
    row = Notification.objects.filter(pk=notification.pk).values().get()
    assert KARI not in repr(row)
    assert row["recipient_label"] == "178190 *****"
    assert row["recipient_pid_hash"] == pid_lookup_hash(KARI)
    assert decrypt_pid(row["recipient_pid_encrypted"]) == KARI
    assert row["status"] == "pending" and row["context"] == CONTEXT
    [queued] = _queued()
    assert queued.args_kwargs["args"] == [str(notification.pk)]
    assert KARI not in repr(queued.args_kwargs)
    assert list(selectors.notifications_for(pid_hash=pid_lookup_hash(KARI))) == [notification]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"event": "case.exploded"}, "Unknown notification event"),
        ({"context": {"name": "Kari"}}, "Unknown notification context key"),
        ({"context": {"reference": KARI}}, "looks like a fødselsnummer"),
        ({"link_path": "https://evil.example/"}, "link_path"),
        ({"link_path": "//evil.example/"}, "link_path"),
        ({"pid": None}, "needs a pid or a user"),
        ({"language": "de"}, "Unsupported notification language"),
    ],
)
def test_notify_refuses_what_it_cannot_send(agencies, kwargs, message):
    arguments = {
        "event": "case.decided",
        "pid": KARI,
        "agency": agencies["naeringsetaten"],
        "link_path": LINK,
        "context": CONTEXT,
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        notify(**arguments)
    assert not Notification.objects.exists() and not _queued()


def test_a_rolled_back_notify_leaves_no_row_and_no_task(agencies):
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(agencies)
        raise RuntimeError("the caller's transaction fails")
    assert not Notification.objects.exists() and not _queued()


def test_a_digital_person_gets_email_and_sms_with_a_link_and_nothing_personal(agencies, settings):
    notification = _notify(agencies)
    assert send_notification.call(str(notification.pk)) == "sent"

    [email] = mail.outbox
    assert email.to == ["kari.nordmann@demo.iktipet.invalid"]
    # The address configured, under the agency's name (tests/messaging/test_messaging_sender.py).
    assert parseaddr(email.from_email)[1] == parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    assert email.subject == "Det er gjort vedtak i saken din"
    assert f"https://iktipet.test{LINK}" in email.body
    assert "2026/000123" in email.body and "Næringsetaten" in email.body
    for personal in ("Kari", "Nordmann", KARI, "178190"):
        assert personal not in email.body and personal not in email.subject
    [line] = _outbox(settings)
    assert "\t+4740000001\t" in line and f"https://iktipet.test{LINK}" in line
    assert "Kari" not in line

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)
    assert notification.sent_at is not None
    attempts = list(notification.delivery_attempts.values_list("channel", "to_masked", "ok"))
    assert attempts == [
        ("email", "k***@demo.iktipet.invalid", True),
        ("sms", "+47 *** ** 001", True),
    ]
    assert not PrintLetter.objects.exists()


def test_the_language_of_the_contact_register_or_the_caller_is_used(agencies):
    fatima = _notify(agencies, pid="19859349903")  # KRR says "en"
    send_notification.call(str(fatima.pk))
    assert mail.outbox[-1].subject == "A decision has been made in your case"
    kari = _notify(agencies, language="en")
    send_notification.call(str(kari.pk))
    assert mail.outbox[-1].subject == "A decision has been made in your case"
    assert "Log in to My page" in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("pid", "name", "address"),
    [
        (AKSEL, "Aksel Lie-Test", "Eksempelveien 7\n0377 OSLO"),  # reserved
        (NORA, "Nora Lie-Test", "Eksempelveien 7\n0377 OSLO"),  # stale contact data
        (EMMA, "Emma Nordmann-Test", "Testveien 12\n0560 OSLO"),  # not in KRR
    ],
    ids=["reserved", "not-verified-18-months", "not-registered"],
)
def test_a_person_who_may_not_be_notified_digitally_gets_a_letter(
    agencies, settings, pid, name, address
):
    notification = _notify(agencies, pid=pid)
    assert send_notification.call(str(notification.pk)) == "print_queued"
    assert mail.outbox == [] and _outbox(settings) == []
    letter = PrintLetter.objects.get(notification=notification)
    assert (letter.recipient_name, letter.address, letter.address_unknown) == (name, address, False)
    assert letter.agency == agencies["naeringsetaten"]
    assert letter.subject == "Det er gjort vedtak i saken din"
    assert f"https://iktipet.test{LINK}" in letter.body
    notification.refresh_from_db()
    assert notification.status == "print_queued"
    assert list(notification.delivery_attempts.values_list("channel", "ok")) == [("print", True)]


def test_without_a_pid_the_users_email_is_used(agencies):
    user = make_user("citizen-x", email="someone@example.no")
    notification = notify(event="case.received", user=user, link_path=LINK, context=CONTEXT)
    assert notification.recipient_label == "s***@example.no"
    assert send_notification.call(str(notification.pk)) == "sent"
    assert mail.outbox[0].to == ["someone@example.no"]
    silent = notify(event="case.received", user=make_user("citizen-y"), link_path=LINK)
    assert send_notification.call(str(silent.pk)) == "no_channel"


def test_a_task_run_twice_sends_once(agencies, settings):
    notification = _notify(agencies)
    assert send_notification.call(str(notification.pk)) == "sent"
    assert send_notification.call(str(notification.pk)) == "sent"
    assert len(mail.outbox) == 1 and len(_outbox(settings)) == 1
    assert DeliveryAttempt.objects.count() == 2


def test_a_failing_channel_is_retried_with_backoff_then_the_notification_fails(agencies, settings):
    settings.SMS_CHANNEL = "test-failing"
    FailingSmsChannel.calls.clear()
    notification = _notify(agencies)
    DBTaskResult.objects.all().delete()

    before = timezone.now()
    assert send_notification.call(str(notification.pk)) == "pending"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("pending", 1)
    assert "gateway down" in notification.last_error
    failed = notification.delivery_attempts.get(channel="sms")
    assert (failed.ok, failed.to_masked, failed.error) == (
        False,
        "+47 *** ** 001",
        "sms test-failing: gateway down",
    )
    [retry] = _queued()
    assert retry.args_kwargs["args"] == [str(notification.pk)]
    delay = retry.run_after - before
    assert datetime.timedelta(seconds=59) < delay < datetime.timedelta(seconds=65)

    for _attempt in range(2, settings.NOTIFY_MAX_ATTEMPTS + 1):
        status = send_notification.call(str(notification.pk))
    assert status == "failed"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("failed", 5)
    # Backoff 1, 5, 25, 125 minutes; no fifth retry.
    delays = [round((task.run_after - task.enqueued_at).total_seconds() / 60) for task in _queued()]
    assert delays == [1, 5, 25, 125]
    # The email went out once; only the failing SMS was tried again, five times.
    assert len(mail.outbox) == 1 and len(FailingSmsChannel.calls) == 5
    assert send_notification.call(str(notification.pk)) == "failed"  # given up: no more tries
    assert len(FailingSmsChannel.calls) == 5


def test_a_contact_register_failure_is_recorded_and_retried(agencies, settings):
    settings.CONTACT_REGISTER = "test-down"
    notification = _notify(agencies)
    assert send_notification.call(str(notification.pk)) == "pending"
    attempt = notification.delivery_attempts.get()
    assert (attempt.channel, attempt.ok) == ("register", False)
    assert "timed out" in attempt.error
    assert len(_queued()) == 2  # the first enqueue and the retry
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_committed_notification(settings):
    from iktipet.core.demo_data import load_municipality
    from iktipet.core.models import Agency
    from iktipet.ops.worker import run_worker

    load_municipality()
    with transaction.atomic():
        notification = notify(
            event="case.received",
            pid=KARI,
            agency=Agency.objects.get(slug="naeringsetaten"),
            link_path=LINK,
            context=CONTEXT,
        )
    run_worker(batch=True)
    notification.refresh_from_db()
    assert notification.status == "sent"
    assert mail.outbox[0].subject == "Vi har mottatt saken din"


def test_a_link_to_a_uuid_with_eleven_digits_in_a_row_is_not_taken_for_a_pid():
    from iktipet.messaging.events import check_link_path

    path = "/min-side/saker/3f2a1c4e-1b2c-4d5e-8f90-123456789012/"
    assert check_link_path(path) == path
    with pytest.raises(ValueError, match="fødselsnummer"):
        check_link_path("/min-side/17819049912/")
