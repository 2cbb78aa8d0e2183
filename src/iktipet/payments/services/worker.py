"""What the worker does with orders: capture, cancel at the provider, expire, recover.

None of this runs in a person's request. Each provider call carries a key stored before
the call, so a task that is retried (the worker died, the provider timed out) repeats the
same operation rather than a second one: a capture can never happen twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from iktipet.core.tasks import enqueue
from iktipet.payments import gateway, tasks
from iktipet.payments.models import PaymentAttempt, PaymentOrder
from iktipet.payments.providers.base import ProviderRefused, ProviderUnavailable
from iktipet.payments.services.base import new_key, record_change
from iktipet.payments.services.paying import (
    close_attempt,
    mark_captured,
    refresh_from_provider,
    settle_from_provider,
)

logger = logging.getLogger(__name__)
State = PaymentOrder.State
Attempt = PaymentAttempt.State


def _stored_key(attempt: PaymentAttempt, field: str) -> str:
    """The attempt's key for ``field`` ("capture_key", "cancel_key"), made once and stored
    (committed) before the provider sees it."""
    key = new_key()
    PaymentAttempt.objects.filter(pk=attempt.pk, **{field: ""}).update(**{field: key})
    return str(PaymentAttempt.objects.values_list(field, flat=True).get(pk=attempt.pk))


def capture(order: PaymentOrder) -> PaymentOrder:
    """Capture an authorised order at the provider, once. Raises ProviderUnavailable for the
    task to retry (the poller also retries orders left authorised)."""
    order = PaymentOrder.objects.get(pk=order.pk)
    if order.state != State.AUTHORIZED:
        return order
    attempt = order.attempts.filter(
        provider=order.provider, provider_reference=order.provider_reference
    ).first()
    if attempt is None:
        logger.error("payments: authorised order %s has no paying attempt", order.reference)
        return order
    key = _stored_key(attempt, "capture_key")
    plugin = gateway.provider(attempt.provider)
    try:
        result = plugin.capture(
            attempt.provider_reference, order.authorized_ore, idempotency_key=key
        )
    except ProviderRefused as refused:
        # Perhaps it was captured already, or ended at the provider: ask what it knows.
        status = plugin.get_status(attempt.provider_reference)
        settle_from_provider(attempt.provider, status)
        order.refresh_from_db()
        if order.state == State.AUTHORIZED:
            with transaction.atomic():
                record_change(
                    order,
                    "capture_refused",
                    attempt=attempt,
                    from_state=order.state,
                    details={"code": refused.code[:50], "status": refused.status},
                )
        return order
    with transaction.atomic():
        order = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        attempt.refresh_from_db()
        fee = result.status.fee_ore if result.status is not None else None
        if fee is not None:  # the provider's fee, where its answer reports one
            PaymentOrder.objects.filter(pk=order.pk).update(fee_ore=fee)
            order.fee_ore = fee
        mark_captured(order, attempt, order.authorized_ore)
    return order


def cancel_attempt(attempt: PaymentAttempt) -> None:
    """Give back at the provider a payment we will not capture (superseded, refused by the
    payable, expired, or its order cancelled). Raises ProviderUnavailable for a retry."""
    attempt = PaymentAttempt.objects.get(pk=attempt.pk)
    if not attempt.cancel_pending:
        return
    if attempt.provider_reference:
        key = _stored_key(attempt, "cancel_key")
        plugin = gateway.provider(attempt.provider)
        try:
            plugin.cancel(attempt.provider_reference, idempotency_key=key)
        except ProviderRefused:
            # Nothing left to cancel (it ended at the provider): fine unless it was captured.
            status = plugin.get_status(attempt.provider_reference)
            if status.captured_ore:
                logger.error(
                    "payments: attempt %s to cancel was captured at %s",
                    attempt.pk,
                    attempt.provider,
                )
                return
    with transaction.atomic():
        order = PaymentOrder.objects.select_for_update().get(pk=attempt.order_id)
        if PaymentAttempt.objects.filter(pk=attempt.pk, cancel_pending=True).update(
            cancel_pending=False
        ):
            # An expired or failed attempt keeps its name; a reserved or live one is cancelled.
            PaymentAttempt.objects.filter(
                pk=attempt.pk, state__in=(*PaymentAttempt.LIVE, Attempt.AUTHORIZED)
            ).update(state=Attempt.CANCELLED)
            record_change(
                order,
                "attempt_cancelled_at_provider",
                attempt=attempt,
                from_state=order.state,
                details={"attempt": attempt.number},
            )


def expire_attempt(attempt: PaymentAttempt) -> None:
    """An attempt left too long at the provider: end it, cancel it there, and open the order
    again (what is paid for, the draft or the claim, stays as it was)."""
    with transaction.atomic():
        order = (
            PaymentOrder.objects.select_for_update()
            .select_related("agency")
            .get(pk=attempt.order_id)
        )
        if close_attempt(
            order, attempt, Attempt.EXPIRED, event="expired", details={}, cancel_pending=True
        ):
            enqueue(tasks.cancel_attempt, str(attempt.pk))


def attempt_lifetime() -> dt.timedelta:
    return dt.timedelta(minutes=settings.PAYMENT_ATTEMPT_MINUTES)


def poll_pending(now: dt.datetime | None = None, *, limit: int = 200) -> dict[str, int]:
    """The missed-webhook recovery: ask the provider about attempts nobody has heard of for
    a while, expire those past their lifetime, and retry captures and cancellations left
    behind. Returns counts for the log."""
    now = now or timezone.now()
    quiet = now - dt.timedelta(seconds=settings.PAYMENT_POLL_AFTER_SECONDS)
    counts = {"asked": 0, "expired": 0, "captured": 0, "cancelled": 0, "errors": 0}
    live = PaymentAttempt.objects.filter(state__in=PaymentAttempt.LIVE, created_at__lt=quiet)
    for attempt in live.select_related("order").order_by("created_at")[:limit]:
        if attempt.checked_at is None or attempt.checked_at < quiet:
            counts["asked"] += 1
            try:
                refresh_from_provider(attempt.order)
            except Exception:
                counts["errors"] += 1
                logger.exception("payments: polling attempt %s failed", attempt.pk)
            PaymentAttempt.objects.filter(pk=attempt.pk).update(checked_at=now)
        attempt.refresh_from_db()
        if attempt.is_live and attempt.created_at < now - attempt_lifetime():
            expire_attempt(attempt)
            counts["expired"] += 1
    authorised = PaymentOrder.objects.filter(state=State.AUTHORIZED, updated_at__lt=quiet)
    for order in authorised[:limit]:
        try:
            if capture(order).state == State.CAPTURED:
                counts["captured"] += 1
        except ProviderUnavailable:
            counts["errors"] += 1
    for attempt in PaymentAttempt.objects.filter(cancel_pending=True, updated_at__lt=quiet)[:limit]:
        try:
            cancel_attempt(attempt)
            counts["cancelled"] += 1
        except (ProviderUnavailable, ProviderRefused):
            counts["errors"] += 1
    from iktipet.payments.services.refunds import retry_pending_refunds

    counts["errors"] += retry_pending_refunds(before=quiet, limit=limit)
    return counts
