"""A real `iktipet worker` killed (SIGKILL) in the middle of a webhook delivery: a second
worker delivers the event again (at least once) under the same ``webhook-id``, signed, and
nothing is lost or recorded as delivered that was not.

The worker is a separate process, so it needs a database a second process can open: the
test database itself on PostgreSQL or an SQLite file; pytest's in-memory SQLite database is
copied to a file for the test (``shared_database``). Every wait is on a condition with a
deadline; nothing sleeps for a guessed time.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import uuid
from collections.abc import Iterator

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from support.webhook_receiver import Receiver
from support.workers import DEADLINE, Workers, shared_database, wait_until


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiving = Receiver().start()
    receiving.mode = "stall_first"
    yield receiving
    receiving.stop()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_is_followed_by_a_redelivery(
    receiver, subprocess_env, tmp_path
):
    from iktipet.core.demo_data import load_municipality
    from iktipet.core.events import record_event
    from iktipet.core.models import Agency
    from iktipet.integrations.models import Delivery, DeliveryAttempt, Subscription

    with shared_database(tmp_path) as url:
        load_municipality()
        agency = Agency.objects.get(slug="naeringsetaten")
        subscription = Subscription.objects.create(agency=agency, url=receiver.url)
        receiver.secret = subscription.secret
        # Two cases' events: each commit makes a delivery and enqueues a delivery run.
        events = [
            record_event(
                "case.opened", subject=f"cases/{uuid.uuid4()}", source="/test", agency=agency
            )
            for _ in range(2)
        ]
        env = {
            **subprocess_env,
            "IKTIPET_DATABASE_URL": url,
            "IKTIPET_DEBUG": "1",  # http to a receiver on loopback
            "IKTIPET_LOG_LEVEL": "WARNING",
        }
        workers = Workers(env, tmp_path)
        try:
            # Longer than the test: the POST is surely still waiting when the kill comes.
            first = workers.start(IKTIPET_WEBHOOK_TIMEOUT="60")
            assert receiver.stalled.wait(DEADLINE), "the first worker never began a delivery"
            stalled_id = json.loads(receiver.received[0][1])["id"]
            held = Delivery.objects.get(event_id=stalled_id)
            assert held.status == "pending"
            assert held.locked_until > timezone.now()  # claimed by the first worker

            first.send_signal(signal.SIGKILL)
            assert first.wait(DEADLINE) == -signal.SIGKILL
            receiver.release.set()
            # The kill left it claimed, unsent and unrecorded, the other one untouched.
            held.refresh_from_db()
            assert (held.status, held.attempts, held.delivered_at) == ("pending", 0, None)
            assert list(Delivery.objects.values_list("status", flat=True)) == ["pending"] * 2
            assert not DeliveryAttempt.objects.exists()

            # As if the claim's hold (3 × the timeout + 30 s) had passed.
            Delivery.objects.filter(pk=held.pk).update(
                locked_until=timezone.now() - dt.timedelta(seconds=1)
            )
            second = workers.start()
            receiver.wait_for_events(2, DEADLINE)
            wait_until(
                lambda: not Delivery.objects.exclude(status="delivered").exists(),
                "delivery recorded",
                second,
            )
        finally:
            workers.stop_all()

        # At least once: the stalled delivery came again, the same event under the same id.
        (first_headers, first_body), *later = receiver.received
        assert first_headers["webhook-id"] == stalled_id
        again = [h for h, body in later if json.loads(body)["id"] == stalled_id]
        assert [h["webhook-id"] for h in again] == [stalled_id]
        assert [e["id"] for e in receiver.events].count(stalled_id) == 1
        Webhook(receiver.secret).verify(first_body, first_headers)  # the first was signed too
        # Nothing lost: every event answered once; each delivery delivered by one attempt.
        assert sorted(e["id"] for e in receiver.events) == sorted(str(e.pk) for e in events)
        assert len(receiver.received) == 3
        for delivery in Delivery.objects.all():
            assert (delivery.status, delivery.attempts) == ("delivered", 1)
            assert [a.status_code for a in delivery.tries.all()] == [204]
