"""Refunds: full or partial, by staff with the finance role, always with a reason.

The amount is reserved on the order by one conditional UPDATE (``refunded_ore + amount <=
captured_ore``) before the provider is called, so two refunds at the same moment can never
give back more than was paid: the database lets only one of them through when together
they would exceed it. A provider that does not answer leaves the refund pending with its
key; the worker completes it with the same key. A provider that refuses gives the amount
back to the order.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from iktipet.accounts.roles import FINANCE, has_role
from iktipet.core.errors import ActionRefused
from iktipet.core.forms import disallowed_text_error
from iktipet.core.money import format_nok
from iktipet.payments import gateway
from iktipet.payments.models import PaymentOrder, Refund
from iktipet.payments.providers.base import ProviderRefused, ProviderUnavailable
from iktipet.payments.services.base import move, new_key, notify_payer, record_change

if TYPE_CHECKING:
    from iktipet.accounts.types import User

State = PaymentOrder.State
MAX_REASON = 2_000


def may_refund(user: User, order: PaymentOrder) -> bool:
    return has_role(user, FINANCE, order.agency_id)


def refund(
    order: PaymentOrder,
    amount_ore: int,
    *,
    user: User,
    reason: str,
    by_rule: str = "",
    key: str = "",
) -> Refund:
    """Give back ``amount_ore`` of a paid order. Refused without the finance role in the
    order's agency, without a reason, or for more than is left to refund.

    ``by_rule`` names the payable's own rule that gives the money back (a booking cancelled
    before its deadline): a system action, taken for ``user`` without the finance role, and
    recorded with the rule in the history and the audit. ``key`` (at most 64 characters)
    makes a rule's refund happen once: the same key again returns the refund it made, and
    reserves nothing more (one time of a season cancelled twice, a settle retried).
    """
    if not by_rule and not may_refund(user, order):
        raise ActionRefused(_("Du har ikke rollen som trengs for å refundere (økonomi)."))
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Skriv hvorfor beløpet refunderes.")
    elif len(reason) > MAX_REASON or disallowed_text_error(reason):
        errors["reason"] = disallowed_text_error(reason) or _(
            "Begrunnelsen er for lang (høyst 2 000 tegn)."
        )
    if not isinstance(amount_ore, int) or amount_ore <= 0:
        errors["amount"] = _("Skriv et beløp større enn 0 kr.")
    if errors:
        raise ActionRefused(errors)
    if key and (made := Refund.objects.filter(idempotency_key=key).first()) is not None:
        return made
    try:
        created = _reserve(order, amount_ore, user=user, reason=reason, by_rule=by_rule, key=key)
    except IntegrityError:
        if not key:
            raise
        # The same key at the same moment: that refund is the one (this one rolled back).
        return Refund.objects.get(idempotency_key=key)
    return complete_refund(created, raise_refusal=True)


def _reserve(
    order: PaymentOrder, amount_ore: int, *, user: User, reason: str, by_rule: str, key: str
) -> Refund:
    with transaction.atomic():
        reserved = PaymentOrder.objects.filter(
            pk=order.pk,
            state=State.CAPTURED,
            refunded_ore__lte=F("captured_ore") - amount_ore,
        ).update(refunded_ore=F("refunded_ore") + amount_ore, updated_at=timezone.now())
        order.refresh_from_db()
        if not reserved:
            raise ActionRefused(
                _("Du kan refundere høyst %(amount)s.")
                % {"amount": format_nok(max(order.refundable_ore, 0))},
                field="amount",
            )
        if order.refunded_ore == order.captured_ore:
            move(order, State.REFUNDED, allowed=(State.CAPTURED,))
        created = Refund.objects.create(
            order=order,
            amount_ore=amount_ore,
            reason=reason,
            idempotency_key=key or new_key(),
            created_by=user,
        )
        record_change(
            order,
            "refund_requested",
            user=user,
            from_state=State.CAPTURED,
            details={"amount_ore": amount_ore, "refund": str(created.pk)}
            | ({"by_rule": by_rule} if by_rule else {}),
        )
    return created


def complete_refund(refund_row: Refund, *, raise_refusal: bool = False) -> Refund:
    """Ask the provider to pay back a reserved refund (again, with the same key)."""
    order = refund_row.order
    try:
        result = gateway.provider(order.provider).refund(
            order.provider_reference,
            refund_row.amount_ore,
            idempotency_key=refund_row.idempotency_key,
            reason=refund_row.reason[:100],
        )
    except ProviderUnavailable:
        return refund_row  # pending: the worker tries again with the same key
    except ProviderRefused as refused:
        _give_back(refund_row, refused)
        if raise_refusal:
            raise ActionRefused(
                _("Betalingsleverandøren avviste refusjonen. Ingenting er refundert.")
            ) from None
        return refund_row
    with transaction.atomic():
        order = (
            # of=self: the payer may be empty (an outer join, which PostgreSQL cannot lock).
            PaymentOrder.objects.select_for_update(of=("self",))
            .select_related("agency", "user")
            .get(pk=order.pk)
        )
        done = Refund.objects.filter(pk=refund_row.pk, state=Refund.State.PENDING).update(
            state=Refund.State.DONE,
            completed_at=timezone.now(),
            provider_reference=result.operation_reference[:100],
        )
        if done:
            record_change(
                order,
                "refunded",
                user=refund_row.created_by,
                details={"amount_ore": refund_row.amount_ore, "reason": refund_row.reason[:500]},
                event="refunded",
            )
            notify_payer(order, "payment.refunded", amount_ore=refund_row.amount_ore)
    refund_row.refresh_from_db()
    return refund_row


def _give_back(refund_row: Refund, refused: ProviderRefused) -> None:
    with transaction.atomic():
        order = PaymentOrder.objects.select_for_update().get(pk=refund_row.order_id)
        if not Refund.objects.filter(pk=refund_row.pk, state=Refund.State.PENDING).update(
            state=Refund.State.FAILED, error=str(refused)[:500]
        ):
            return
        from_state = order.state
        PaymentOrder.objects.filter(pk=order.pk).update(
            refunded_ore=F("refunded_ore") - refund_row.amount_ore,
            state=State.CAPTURED,
            updated_at=timezone.now(),
        )
        order.refresh_from_db()
        record_change(
            order,
            "refund_failed",
            user=refund_row.created_by,
            from_state=from_state,
            details={"amount_ore": refund_row.amount_ore, "code": refused.code[:50]},
        )
    refund_row.refresh_from_db()


def retry_pending_refunds(*, before: dt.datetime, limit: int = 200) -> int:
    """Complete refunds left pending by a provider that did not answer; the failures."""
    errors = 0
    pending = Refund.objects.filter(state=Refund.State.PENDING, created_at__lt=before)
    for row in pending.select_related("order")[:limit]:
        if complete_refund(row).state == Refund.State.PENDING:
            errors += 1
    return errors
