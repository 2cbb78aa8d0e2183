"""A real `iktipet worker` killed (SIGKILL) while it sends a case's receipt notice, which it
wrote and began sending in the one task the submit queued: the notice is left pending with
no task, and the sweep (messaging.send_stalled) of a second worker sends it again, only on
the channel that had not gone out. One notice per submit, nothing lost.

The SMS gateway is the test's receiver, holding the first message unanswered until the
kill. See tests/integrations/test_webhooks_worker_killed.py for the database sharing.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from support.cases import submitted_case
from support.webhook_receiver import Receiver
from support.workers import DEADLINE, Workers, shared_database, wait_until


@pytest.fixture
def gateway() -> Iterator[Receiver]:
    receiving = Receiver().start()
    receiving.mode, receiving.unsigned = "stall_first", True
    yield receiving
    receiving.stop()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_notice_leaves_it_to_the_sweep(
    gateway, subprocess_env, tmp_path, offline_settings
):
    from iktipet.messaging.models import DeliveryAttempt, Notification
    from iktipet.messaging.tasks import STALLED_AFTER
    from iktipet.ops.models import PeriodicJob

    # The worker decrypts the applicant's fødselsnummer with the same key the submit used.
    offline_settings.PID_ENCRYPTION_KEY = "receipt-worker-killed-test-key"
    with shared_database(tmp_path) as url:
        case = submitted_case()
        assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
            "iktipet.cases.tasks.notify_received"
        ]
        env = {
            **subprocess_env,
            "IKTIPET_DATABASE_URL": url,
            "IKTIPET_DEBUG": "1",  # synthetic test persons; http to a gateway on loopback
            "IKTIPET_LOG_LEVEL": "WARNING",
            "IKTIPET_SMS_CHANNEL": "http",
            "IKTIPET_SMS_URL": gateway.url,
            "IKTIPET_SMS_TOKEN": "test-token",
            "IKTIPET_PID_KEY": offline_settings.PID_ENCRYPTION_KEY,
        }
        workers = Workers(env, tmp_path)
        try:
            # Longer than the test: the SMS is surely still waiting when the kill comes.
            first = workers.start(IKTIPET_SMS_TIMEOUT="60")
            assert gateway.stalled.wait(DEADLINE), "the first worker never sent the SMS"
            first.send_signal(signal.SIGKILL)
            assert first.wait(DEADLINE) == -signal.SIGKILL
            gateway.release.set()

            # Written, its email gone, its SMS unanswered: pending, and no task will send it.
            notice = Notification.objects.get()
            assert (notice.event, notice.status, notice.attempts) == ("case.received", "pending", 1)
            assert list(notice.delivery_attempts.values_list("channel", "ok")) == [("email", True)]
            assert not DBTaskResult.objects.filter(task_path__endswith="send_notification")

            # As if STALLED_AFTER had passed, and the sweep's five minutes.
            overdue = timezone.now() - STALLED_AFTER - timezone.timedelta(seconds=1)
            Notification.objects.filter(pk=notice.pk).update(retry_at=overdue)
            PeriodicJob.objects.filter(name="messaging.send_stalled").update(
                next_run_at=timezone.now()
            )
            second = workers.start()
            wait_until(
                lambda: Notification.objects.filter(pk=notice.pk, status="sent").exists(),
                "the notice sent again",
                second,
            )
        finally:
            workers.stop_all()

        notice.refresh_from_db()
        assert notice.attempts == 2 and notice.context["reference"] == case.reference
        # At least once: the held SMS came again, the same message; the email went once.
        first_sms, again = (json.loads(body) for _headers, body in gateway.received)
        assert first_sms == again and str(case.pk) in again["message"]
        assert sorted(
            DeliveryAttempt.objects.filter(notification=notice).values_list("channel", "ok")
        ) == [("email", True), ("sms", True)]
        assert Notification.objects.count() == 1
