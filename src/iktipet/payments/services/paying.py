"""Paying: sending the person to a provider, and applying what the provider reports.

``settle_from_provider`` is the one place a provider's word changes an order, whether it came
from a verified webhook, the return page's status query or the poller. It is idempotent (a
delivery seen before has no effect) and order-independent: states only move forward and
amounts only grow, so a late "created" never undoes a capture.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from iktipet.accounts.parties import ActingParty
from iktipet.core.errors import ActionRefused
from iktipet.core.tasks import enqueue
from iktipet.payments import gateway, tasks
from iktipet.payments.models import PaymentAttempt, PaymentOrder, ProcessedWebhook
from iktipet.payments.payables import payable_for
from iktipet.payments.providers.base import (
    OrderLine,
    PaymentRequest,
    ProviderRefused,
    ProviderState,
    ProviderStatus,
    ProviderUnavailable,
)
from iktipet.payments.services.base import move, new_key, record_change

if TYPE_CHECKING:
    from iktipet.accounts.types import User

State = PaymentOrder.State
Attempt = PaymentAttempt.State

#: A provider's final "no" for an attempt, and what it is called in our history and events.
_ENDINGS = {
    ProviderState.ABORTED: (Attempt.ABORTED, "failed"),
    ProviderState.FAILED: (Attempt.FAILED, "failed"),
    ProviderState.EXPIRED: (Attempt.EXPIRED, "expired"),
    ProviderState.TERMINATED: (Attempt.CANCELLED, "cancelled"),
}


def payer_matches(order: PaymentOrder, user: User, party: ActingParty) -> bool:
    """The person (acting for ``party``) is whom the order is for."""
    if order.party_kind == PaymentOrder.PartyKind.ORGANISATION:
        return party.is_organisation and party.identifier == order.party_identifier
    return not party.is_organisation and order.user_id == user.pk


def unavailable_message() -> str:
    return _(
        "Betalingsleverandøren svarer ikke akkurat nå. Ingenting er belastet, og ingenting "
        "av det du har fylt ut er tapt. Prøv igjen om litt, eller velg en annen betalingsmåte."
    )


def start_payment(
    order: PaymentOrder, *, provider: str, user: User, party: ActingParty, base_url: str
) -> str:
    """Start (or continue) paying ``order`` with ``provider``; the URL to send the person to.

    The attempt and its idempotency key are stored before the provider is called, outside
    the transaction (a slow provider must not hold the order's row lock). A second press
    while the first is under way gets the same attempt, so a double click is one payment;
    after a timeout the next press repeats the call with the same key, which the provider
    answers with the same payment.
    """
    if provider not in gateway.enabled_providers():
        raise ActionRefused(_("Velg en betalingsmåte."), field="provider")
    if not payer_matches(order, user, party):
        raise ActionRefused(_("Denne betalingen gjelder ikke deg."))
    with transaction.atomic():
        order = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        if order.state in PaymentOrder.SETTLED or order.state == State.AUTHORIZED:
            raise ActionRefused(_("Dette er allerede betalt."), code="paid")
        if order.state == State.CANCELLED:
            raise ActionRefused(_("Denne betalingen er kansellert."), code="cancelled")
        live = order.attempts.filter(state__in=PaymentAttempt.LIVE).first()
        if live is not None and live.provider == provider:
            if live.state == Attempt.CREATED and live.redirect_url:
                return live.redirect_url
            attempt = live  # no answer last time: ask again with the same key
        else:
            if live is not None:
                from iktipet.payments.services.orders import end_live_attempt

                end_live_attempt(order, name="attempt_superseded")
            last = order.attempts.aggregate(last=Max("number"))["last"] or 0
            attempt = PaymentAttempt.objects.create(
                order=order,
                number=last + 1,
                provider=provider,
                amount_ore=order.amount_ore,
                idempotency_key=new_key(),
                webhook_secret=secrets.token_hex(16),
            )
            from_state = order.state
            move(order, State.PENDING, allowed=PaymentOrder.PAYABLE, provider=provider)
            record_change(
                order,
                "attempt_started",
                user=user,
                from_state=from_state,
                attempt=attempt,
                details={"provider": provider, "attempt": attempt.number},
            )
    request = PaymentRequest(
        reference=f"{order.reference}-{attempt.number}",
        amount_ore=attempt.amount_ore,
        currency=order.currency,
        description=order.title[:100],
        lines=tuple(_lines(order)),
        return_url=base_url.rstrip("/") + reverse("payments:return", args=[order.pk]),
        # The attempt in the query lets the webhook view find a per-payment secret (Nets).
        webhook_url=base_url.rstrip("/")
        + reverse("payments:webhook", args=[provider])
        + f"?attempt={attempt.pk}",
        webhook_secret=attempt.webhook_secret,
        language=(translation.get_language() or "nb")[:2],
        idempotency_key=attempt.idempotency_key,
    )
    try:
        created = gateway.provider(provider).create(request)
    except ProviderUnavailable:
        raise ActionRefused(unavailable_message(), code="provider_unavailable") from None
    except ProviderRefused as refused:
        _end_attempt(order, attempt, Attempt.FAILED, "failed", {"code": refused.code[:50]})
        raise ActionRefused(
            _(
                "Betalingsleverandøren avviste betalingen. Ingenting er belastet. Prøv igjen, "
                "eller velg en annen betalingsmåte."
            ),
            code="provider_refused",
        ) from None
    with transaction.atomic():
        PaymentAttempt.objects.filter(pk=attempt.pk).update(
            provider_reference=created.provider_reference, redirect_url=created.redirect_url
        )
        PaymentAttempt.objects.filter(pk=attempt.pk, state=Attempt.CREATING).update(
            state=Attempt.CREATED
        )
        PaymentOrder.objects.filter(pk=order.pk, state=State.PENDING).update(
            provider_reference=created.provider_reference
        )
    return created.redirect_url


def _lines(order: PaymentOrder) -> list[OrderLine]:
    return [
        OrderLine(row.text, row.quantity, row.unit_price_ore, row.vat_percent)
        for row in order.lines.all()
    ]


def close_attempt(
    order: PaymentOrder,
    attempt: PaymentAttempt,
    to: str,
    *,
    event: str,
    details: dict[str, object],
    **changes: object,
) -> bool:
    """End a live attempt (``to``: failed, aborted, expired …) and open its order again, so
    the person can pay anew; the caller holds the order's row lock. False if it had ended."""
    if not PaymentAttempt.objects.filter(pk=attempt.pk, state__in=PaymentAttempt.LIVE).update(
        state=to, **changes
    ):
        return False
    attempt.state = to
    from_state = order.state
    move(order, State.OPEN, allowed=(State.PENDING,))
    record_change(
        order,
        f"attempt_{to}",
        from_state=from_state,
        attempt=attempt,
        details={"attempt": attempt.number, **details},
        event=event,
    )
    return True


def _end_attempt(
    order: PaymentOrder, attempt: PaymentAttempt, to: str, event: str, details: dict[str, object]
) -> None:
    with transaction.atomic():
        order = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        close_attempt(order, attempt, to, event=event, details=details)


def current_attempt(order: PaymentOrder) -> PaymentAttempt | None:
    """The attempt the provider should be asked about: the live one, else the paying one."""
    return (
        order.attempts.filter(
            state__in=(*PaymentAttempt.LIVE, Attempt.AUTHORIZED, Attempt.CAPTURED)
        )
        .exclude(provider_reference="")
        .order_by("-number")
        .first()
    )


def refresh_from_provider(order: PaymentOrder) -> PaymentOrder:
    """Ask the provider about the order's attempt and apply the answer (the return page:
    the redirect itself proves nothing). A provider that does not answer changes nothing;
    the poller asks again later."""
    attempt = current_attempt(order)
    if attempt is None:
        return order
    try:
        status = gateway.provider(attempt.provider).get_status(attempt.provider_reference)
    except (ProviderUnavailable, ProviderRefused):
        return order
    PaymentAttempt.objects.filter(pk=attempt.pk).update(checked_at=timezone.now())
    settled = settle_from_provider(attempt.provider, status)
    return settled or order


def _find_attempt(provider: str, provider_reference: str) -> PaymentAttempt | None:
    if not provider_reference:
        return None
    found = PaymentAttempt.objects.filter(
        provider=provider, provider_reference=provider_reference
    ).first()
    if found is None:
        # A webhook may come before the create call's answer is stored; providers that take
        # our reference as theirs (Vipps, testbank) name the attempt by "<order>-<number>".
        order_reference, _sep, number = provider_reference.rpartition("-")
        if number.isdigit():
            found = PaymentAttempt.objects.filter(
                provider=provider, order__reference=order_reference, number=int(number)
            ).first()
    return found


def settle_from_provider(provider: str, status: ProviderStatus) -> PaymentOrder | None:
    """Apply a provider's report; the order, or None when no attempt has that reference."""
    attempt = _find_attempt(provider, status.provider_reference)
    if attempt is None:
        return None
    with transaction.atomic():
        # Lock order: the order row first, then its attempt (as every other action does).
        order = (
            PaymentOrder.objects.select_for_update()
            .select_related("agency")
            .get(pk=attempt.order_id)
        )
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if status.event_id:
            _seen, new = ProcessedWebhook.objects.get_or_create(
                provider=provider, event_id=status.event_id[:200], defaults={"order": order}
            )
            if not new:
                return order
        _apply(order, attempt, status)
    return order


def _apply(order: PaymentOrder, attempt: PaymentAttempt, status: ProviderStatus) -> None:
    captured = status.captured_ore or 0
    reached = status.state == ProviderState.AUTHORIZED or captured > 0
    if status.fee_ore is not None and status.fee_ore != order.fee_ore:
        PaymentOrder.objects.filter(pk=order.pk).update(fee_ore=status.fee_ore)
        order.fee_ore = status.fee_ore
    if reached and attempt.state in PaymentAttempt.LIVE:
        amount = status.authorized_ore or captured or attempt.amount_ore
        _authorize(order, attempt, amount, status)
    elif status.state in _ENDINGS and attempt.state in PaymentAttempt.LIVE:
        to, event = _ENDINGS[status.state]
        close_attempt(
            order, attempt, to, event=event, details={"provider_event": status.event_name[:60]}
        )
    elif status.state == ProviderState.TERMINATED and attempt.cancel_pending:
        PaymentAttempt.objects.filter(pk=attempt.pk).update(
            cancel_pending=False, state=Attempt.CANCELLED
        )
    if captured and attempt.state == Attempt.AUTHORIZED and not attempt.cancel_pending:
        mark_captured(order, attempt, captured)


def _authorize(
    order: PaymentOrder, attempt: PaymentAttempt, amount: int, status: ProviderStatus
) -> None:
    PaymentAttempt.objects.filter(pk=attempt.pk).update(state=Attempt.AUTHORIZED)
    attempt.state = Attempt.AUTHORIZED
    details = {"attempt": attempt.number, "authorized_ore": amount}
    if order.state != State.PENDING or amount != order.amount_ore:
        # A superseded attempt, a cancelled order, or an amount that is not the order's:
        # never captured, given back at the provider.
        _refuse_authorization(order, attempt, {**details, "why": "not the order's payment"})
        return
    savepoint = transaction.savepoint()
    try:
        move(
            order,
            State.AUTHORIZED,
            allowed=(State.PENDING,),
            authorized_ore=amount,
            authorized_at=timezone.now(),
            provider=attempt.provider,
            provider_reference=attempt.provider_reference,
        )
        record_change(
            order,
            "authorized",
            from_state=State.PENDING,
            attempt=attempt,
            details=details,
            event="authorized",
        )
        payable_for(order.payable_kind).on_authorized(order)
    except ActionRefused as refused:
        transaction.savepoint_rollback(savepoint)
        order.refresh_from_db()
        _refuse_authorization(order, attempt, {**details, "why": refused.message[:300]})
        return
    transaction.savepoint_commit(savepoint)
    enqueue(tasks.capture_order, str(order.pk))


def _refuse_authorization(
    order: PaymentOrder, attempt: PaymentAttempt, details: dict[str, object]
) -> None:
    PaymentAttempt.objects.filter(pk=attempt.pk).update(cancel_pending=True)
    attempt.cancel_pending = True
    from_state = order.state
    move(order, State.OPEN, allowed=(State.PENDING,))
    record_change(
        order,
        "authorization_refused",
        from_state=from_state,
        attempt=attempt,
        details=details,
        event="failed",
    )
    enqueue(tasks.cancel_attempt, str(attempt.pk))


def mark_captured(order: PaymentOrder, attempt: PaymentAttempt, captured: int) -> bool:
    """Record the capture (from our capture call or a provider's report), once."""
    captured = min(captured, order.authorized_ore) or order.authorized_ore
    now = timezone.now()
    if not move(
        order, State.CAPTURED, allowed=(State.AUTHORIZED,), captured_ore=captured, paid_at=now
    ):
        return False
    PaymentAttempt.objects.filter(pk=attempt.pk).update(state=Attempt.CAPTURED)
    attempt.state = Attempt.CAPTURED
    record_change(
        order,
        "captured",
        from_state=State.AUTHORIZED,
        attempt=attempt,
        details={"captured_ore": captured},
        event="captured",
    )
    return True
