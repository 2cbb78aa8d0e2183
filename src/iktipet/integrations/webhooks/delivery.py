"""The worker's side: claim a due delivery, POST it, record the attempt, schedule a retry.

- **At least once.** A delivery is claimed with a conditional UPDATE that holds it until
  ``locked_until``; a worker killed mid-POST leaves it to be claimed again after that.
  Receivers deduplicate on ``webhook-id`` (the event's id).
- **Order per subject.** A delivery waits while an earlier one (lower ``sequence``) for the
  same subscription and subject is still pending, so a receiver sees a case's events in
  order. A dead delivery no longer holds the ones after it back.
- **Retries.** Exponential backoff with full jitter, from 10 s up to an hour between tries,
  for ``IKTIPET_WEBHOOK_RETRY_HOURS`` (24); then the delivery is dead: visible in the admin,
  which can send it again. A receiver answering 410 Gone stops its subscription.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from functools import lru_cache

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from iktipet.core import audit
from iktipet.integrations.cloudevents import to_cloudevent
from iktipet.integrations.models import Delivery, DeliveryAttempt, Subscription
from iktipet.integrations.webhooks.guard import UrlRefused, check_url
from iktipet.integrations.webhooks.signing import signed_headers

FIRST_RETRY_SECONDS = 10
MAX_RETRY_SECONDS = 3600
EXCERPT = 500


@lru_cache(maxsize=1)
def _http() -> httpx.Client:
    """One client per worker process: kept-alive connections and one TLS context, where
    ``httpx.post`` would build both for every delivery (measured in bench_webhooks.py)."""
    return httpx.Client(follow_redirects=False)


def backoff(attempts: int) -> dt.timedelta:
    ceiling = min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** max(attempts - 1, 0))
    return dt.timedelta(seconds=random.uniform(ceiling / 2, ceiling))  # noqa: S311 - jitter


def _claim(delivery_id: int, now: dt.datetime) -> bool:
    hold = now + dt.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS * 3 + 30)
    return bool(
        Delivery.objects.filter(
            Q(locked_until__isnull=True) | Q(locked_until__lt=now),
            pk=delivery_id,
            status=Delivery.Status.PENDING,
        ).update(locked_until=hold)
    )


def _waits_for_earlier(delivery: Delivery) -> bool:
    return Delivery.objects.filter(
        subscription_id=delivery.subscription_id,
        subject=delivery.subject,
        status=Delivery.Status.PENDING,
        pk__lt=delivery.pk,
    ).exists()


def due(now: dt.datetime, limit: int) -> list[int]:
    return list(
        Delivery.objects.filter(
            Q(locked_until__isnull=True) | Q(locked_until__lt=now),
            status=Delivery.Status.PENDING,
            next_attempt_at__lte=now,
            subscription__active=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def deliver_due(limit: int = 200) -> int:
    """Deliver what is due; returns how many deliveries were attempted."""
    attempted = 0
    for delivery_id in due(timezone.now(), limit):
        now = timezone.now()
        if not _claim(delivery_id, now):
            continue  # another worker has it
        delivery = Delivery.objects.select_related("subscription", "event").get(pk=delivery_id)
        if _waits_for_earlier(delivery):
            Delivery.objects.filter(pk=delivery_id).update(locked_until=None)
            continue
        send(delivery)
        attempted += 1
    return attempted


def send(delivery: Delivery) -> DeliveryAttempt:
    """One POST of ``delivery`` and what follows from its answer."""
    subscription = delivery.subscription
    body = json.dumps(to_cloudevent(delivery.event, sequence=delivery.pk), separators=(",", ":"))
    started = time.monotonic()
    status_code, error, excerpt = None, "", ""
    try:
        check_url(subscription.url)
        response = _http().post(
            subscription.url,
            content=body.encode(),
            headers=signed_headers(subscription, str(delivery.event_id), body),
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
        )
        status_code, excerpt = response.status_code, response.text[:EXCERPT]
    except UrlRefused as refused:
        error = str(refused)[:200]
    except httpx.HTTPError as exc:
        error = exc.__class__.__name__
    latency = int((time.monotonic() - started) * 1000)
    with transaction.atomic():  # one commit for the attempt and its outcome
        attempt = _record(delivery, status_code, latency, error, excerpt)
        _settle(delivery, status_code)
    return attempt


def _record(
    delivery: Delivery, status_code: int | None, latency: int, error: str, excerpt: str
) -> DeliveryAttempt:
    return DeliveryAttempt.objects.create(
        delivery=delivery,
        status_code=status_code,
        latency_ms=latency,
        error=error,
        response_excerpt=excerpt,
    )


def _settle(delivery: Delivery, status_code: int | None) -> None:
    now = timezone.now()
    attempts = delivery.attempts + 1
    if status_code is not None and 200 <= status_code < 300:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.DELIVERED,
            attempts=attempts,
            delivered_at=now,
            next_attempt_at=None,
            locked_until=None,
        )
        return
    if status_code == 410:
        stop_subscription(delivery.subscription, "410 Gone")
    gave_up = now - delivery.created_at > dt.timedelta(hours=settings.WEBHOOK_RETRY_HOURS)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.DEAD if gave_up else Delivery.Status.PENDING,
        attempts=attempts,
        next_attempt_at=None if gave_up else now + backoff(attempts),
        locked_until=None,
    )


def stop_subscription(subscription: Subscription, reason: str) -> None:
    Subscription.objects.filter(pk=subscription.pk).update(active=False, disabled_reason=reason)
    audit.record(None, "integrations.subscription_stopped", subscription, {"reason": reason})


def redeliver(deliveries: list[Delivery]) -> int:
    """Send these again from the start (an admin's replay): pending, due now."""
    return Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        status=Delivery.Status.PENDING,
        next_attempt_at=timezone.now(),
        created_at=timezone.now(),
        locked_until=None,
    )
