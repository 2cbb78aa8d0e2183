"""Webhooks from the outbox to a local receiver that verifies them with ``standardwebhooks``:
every event of a case's life, in order, again after the receiver was down, after a worker
died mid-delivery; retries, dead letters and replay; 410 stops the subscription."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from support.cases import KARI, submitted_case
from support.webhook_receiver import deliver_all, make_due


def drive(backoffice, case) -> None:
    api = backoffice.http()
    assert api.post(f"/cases/{case.pk}/status", json={"transition": "start_review"}).is_success
    assert api.post(f"/cases/{case.pk}/messages", json={"body": "Hei"}).is_success
    decided = api.post(
        f"/cases/{case.pk}/decision",
        data={"outcome": "granted", "justification": "OK.", "legal_basis": "§ 1"},
    )
    assert decided.status_code == 201, decided.text


LIFE = [
    "no.iktipet.case.opened",
    "no.iktipet.case.status_changed",
    "no.iktipet.case.status_changed",
    "no.iktipet.case.decided",
]


def test_the_receiver_gets_every_event_of_a_case_signed_and_in_order(backoffice, hooks):
    receiver, _subscription = hooks
    case = submitted_case()
    drive(backoffice, case)
    deliver_all()
    subject = f"cases/{case.pk}"
    assert receiver.refused == 0
    assert receiver.types_of(subject) == LIFE
    sequences = [int(e["sequence"]) for e in receiver.events if e["subject"] == subject]
    assert sequences == sorted(sequences)
    first = receiver.events[0]
    assert first["specversion"] == "1.0"
    assert first["data"]["links"]["case"].endswith(f"/api/v1/cases/{case.pk}")
    assert receiver.headers[0]["webhook-id"] == first["id"]
    assert KARI not in str(receiver.events)
    from iktipet.integrations.models import Delivery

    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_receiver_that_was_down_gets_every_event_afterwards(backoffice, hooks):
    from iktipet.integrations.models import Delivery, DeliveryAttempt

    receiver, _subscription = hooks
    receiver.stop()
    case = submitted_case()
    drive(backoffice, case)
    deliver_all()
    assert receiver.events == []
    pending = Delivery.objects.filter(status="pending")
    assert pending.count() == 4
    # Only the first of the subject was tried: the rest wait behind it, to keep the order.
    assert DeliveryAttempt.objects.count() == 1
    assert DeliveryAttempt.objects.get().error == "ConnectError"
    assert pending.order_by("pk").first().next_attempt_at > timezone.now()

    receiver.start()
    make_due()
    deliver_all()
    assert receiver.types_of(f"cases/{case.pk}") == LIFE


def test_500_and_too_slow_are_retried_and_nothing_is_lost(backoffice, hooks):
    from iktipet.integrations.models import Delivery

    receiver, _subscription = hooks
    case = submitted_case()
    receiver.mode = "fail"
    deliver_all()
    assert Delivery.objects.get().attempts == 1
    receiver.mode = "slow"  # answers 200 after the sender stopped waiting
    make_due()
    deliver_all()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 2)
    assert delivery.tries.last().error == "ReadTimeout"
    receiver.mode = "ok"
    make_due()
    deliver_all()
    opened = [e for e in receiver.events if e["type"] == "no.iktipet.case.opened"]
    # The slow answer may have been counted by the receiver too: at least once, same id.
    assert {e["id"] for e in opened} == {str(delivery.event_id)}
    assert Delivery.objects.get().status == "delivered"
    assert case.pk


def test_a_worker_killed_mid_delivery_loses_nothing(backoffice, hooks):
    from iktipet.integrations.models import Delivery
    from iktipet.integrations.webhooks import delivery as worker

    receiver, _subscription = hooks
    submitted_case()
    held = Delivery.objects.get()
    assert worker._claim(held.pk, timezone.now())  # a worker took it … and died
    assert deliver_all() == 0  # held: nobody else sends it meanwhile
    Delivery.objects.filter(pk=held.pk).update(locked_until=timezone.now() - dt.timedelta(1))
    deliver_all()
    assert len(receiver.events) == 1
    assert Delivery.objects.get().status == "delivered"


def test_after_the_retry_window_a_delivery_is_dead_and_can_be_replayed(backoffice, hooks):
    from iktipet.integrations.models import Delivery
    from iktipet.integrations.webhooks.delivery import redeliver

    receiver, _subscription = hooks
    submitted_case()
    receiver.mode = "fail"
    Delivery.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    deliver_all()
    dead = Delivery.objects.get()
    assert dead.status == "dead"
    receiver.mode = "ok"
    assert redeliver([dead]) == 1
    deliver_all()
    assert Delivery.objects.get().status == "delivered"
    assert len(receiver.events) == 1


def test_410_gone_stops_the_subscription(backoffice, hooks):
    receiver, subscription = hooks
    receiver.mode = "gone"
    submitted_case()
    deliver_all()
    subscription.refresh_from_db()
    assert not subscription.active
    assert "410" in subscription.disabled_reason


def test_a_rotated_secret_and_the_previous_one_both_verify(backoffice, hooks):
    from iktipet.integrations.models import new_secret

    receiver, subscription = hooks
    old = subscription.secret
    subscription.previous_secret = old
    subscription.previous_secret_until = timezone.now() + dt.timedelta(hours=1)
    subscription.secret = new_secret()
    subscription.save()
    submitted_case()
    deliver_all()  # the receiver still holds the old secret
    assert len(receiver.events) == 1
    receiver.secret = subscription.secret
    submitted_case(publish_service=False)
    deliver_all()
    assert len(receiver.events) == 2


def test_delivered_events_are_pruned_after_the_retention_undelivered_never(backoffice, hooks):
    from iktipet.core.models import DomainEvent
    from iktipet.integrations.models import Delivery
    from iktipet.integrations.tasks import prune_events

    receiver, _subscription = hooks
    submitted_case()
    deliver_all()
    receiver.mode = "fail"
    submitted_case(publish_service=False)
    deliver_all()
    old = timezone.now() - dt.timedelta(days=31)
    DomainEvent.objects.update(occurred_at=old)
    from iktipet.integrations.models import IdempotentAnswer

    kept = IdempotentAnswer.objects.create(client=backoffice.api_client, key="k", fingerprint="f")
    IdempotentAnswer.objects.filter(pk=kept.pk).update(created_at=old)
    assert prune_events.call() >= 1
    left = Delivery.objects.values_list("status", flat=True)
    assert list(left) == ["pending"]
    assert DomainEvent.objects.filter(pk=Delivery.objects.get().event_id).exists()
    assert not IdempotentAnswer.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",  # not https
        "https://10.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://127.0.0.1/hook",
        "https://user:pw@example.com/hook",
    ],
)
def test_the_ssrf_guard_refuses(url, settings):
    from iktipet.integrations.webhooks.guard import UrlRefused, check_url

    settings.DEBUG = False
    with pytest.raises(UrlRefused):
        check_url(url)


def test_an_allow_listed_internal_host_is_accepted(settings):
    from iktipet.integrations.webhooks.guard import check_url

    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    check_url("https://127.0.0.1/hook")
