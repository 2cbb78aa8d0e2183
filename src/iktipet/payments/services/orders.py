"""Making an order for a payable, and cancelling one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from iktipet.accounts.parties import ActingParty
from iktipet.core.errors import ActionRefused
from iktipet.core.forms import disallowed_text_error
from iktipet.core.models import Agency
from iktipet.core.money import MAX_ORE
from iktipet.core.tasks import enqueue
from iktipet.payments import tasks
from iktipet.payments.models import OrderLineRow, PaymentAttempt, PaymentOrder
from iktipet.payments.payables import payable_for
from iktipet.payments.providers.base import OrderLine
from iktipet.payments.services.base import move, notify_payer, record_change

if TYPE_CHECKING:
    from iktipet.accounts.types import User

MAX_LINES = 50


def _check_lines(title: str, lines: Sequence[OrderLine]) -> int:
    """The total of ``lines`` in øre; ValueError for what a caller's code got wrong (the
    amounts come from a server-side rule, never from a person)."""
    if not title.strip() or len(title) > 200:
        raise ValueError("An order needs a title of at most 200 characters.")
    if not lines or len(lines) > MAX_LINES:
        raise ValueError(f"An order needs 1–{MAX_LINES} lines.")
    for line in lines:
        if not line.text.strip() or len(line.text) > 200:
            raise ValueError("An order line needs a text of at most 200 characters.")
        if line.quantity < 1 or line.unit_price_ore < 0 or not 0 <= line.vat_percent <= 100:
            raise ValueError(f"Invalid order line {line!r}.")
    total = sum(line.amount_ore for line in lines)
    if not 0 < total < MAX_ORE:
        raise ValueError("An order's total must be more than 0 øre (a fee of 0 skips payment).")
    return total


def _same_lines(order: PaymentOrder, lines: Sequence[OrderLine]) -> bool:
    stored = [
        (row.text, row.quantity, row.unit_price_ore, row.vat_percent) for row in order.lines.all()
    ]
    return stored == [
        (line.text, line.quantity, line.unit_price_ore, line.vat_percent) for line in lines
    ]


def _write_lines(order: PaymentOrder, lines: Sequence[OrderLine]) -> None:
    OrderLineRow.objects.bulk_create(
        OrderLineRow(
            order=order,
            position=position,
            text=line.text.strip(),
            quantity=line.quantity,
            unit_price_ore=line.unit_price_ore,
            vat_percent=line.vat_percent,
        )
        for position, line in enumerate(lines, start=1)
    )


def end_live_attempt(order: PaymentOrder, *, name: str) -> PaymentAttempt | None:
    """End the order's live attempt (if any) and have the worker cancel it at the provider.
    Runs inside the caller's transaction, with the order row locked."""
    live = order.attempts.select_for_update().filter(state__in=PaymentAttempt.LIVE).first()
    if live is None:
        return None
    PaymentAttempt.objects.filter(pk=live.pk).update(
        state=PaymentAttempt.State.CANCELLED, cancel_pending=True
    )
    record_change(
        order, name, attempt=live, from_state=order.state, details={"attempt": live.number}
    )
    enqueue(tasks.cancel_attempt, str(live.pk))
    return live


def create_order(
    *,
    payable: tuple[str, str],
    agency: Agency,
    title: str,
    lines: Sequence[OrderLine],
    user: User | None,
    party: ActingParty,
    due_date: dt.date | None = None,
    reason: str = "",
    created_by: User | None = None,
) -> PaymentOrder:
    """The order for ``payable``: a new one, or the live one it already has.

    Idempotent per payable: a double click, or the same claim raised twice, gets the same
    order back. If the payable's amount changed while the order is still unpaid (the person
    went back and changed the draft), the order takes the new lines and any payment started
    for the old amount is cancelled at the provider. Amounts come from the caller's
    server-side rule; ``user`` is the payer's login (None for a claim on someone who has
    not logged in yet), ``party`` whom they pay for.
    """
    kind, payable_id = payable
    total = _check_lines(title, lines)
    if reason and disallowed_text_error(reason):
        raise ActionRefused(disallowed_text_error(reason) or "", field="reason")
    organisation = party.is_organisation
    with transaction.atomic():
        existing = (
            PaymentOrder.objects.select_for_update()
            .filter(payable_kind=kind, payable_id=str(payable_id))
            .exclude(state=PaymentOrder.State.CANCELLED)
            .first()
        )
        if existing is not None:
            if existing.is_payable and not _same_lines(existing, lines):
                _replace_lines(existing, title, lines, total)
            return existing
        try:
            with transaction.atomic():
                order = PaymentOrder.objects.create(
                    agency=agency,
                    payable_kind=kind,
                    payable_id=str(payable_id),
                    title=title.strip(),
                    amount_ore=total,
                    user=user,
                    party_kind=(
                        PaymentOrder.PartyKind.ORGANISATION
                        if organisation
                        else PaymentOrder.PartyKind.PERSON
                    ),
                    # A person is identified by the login, never by a fødselsnummer here.
                    party_identifier=party.identifier if organisation else "",
                    party_name=(party.name or (user.get_full_name() if user else ""))[:200],
                    due_date=due_date,
                    reason=reason.strip(),
                    created_by=created_by,
                )
        except IntegrityError:
            # Another request made it first (a double click): that one is the order. (The
            # only other unique value, the random reference, repeats once in 10¹² orders:
            # then the caller's retry makes one with a new reference.)
            first = (
                PaymentOrder.objects.exclude(state=PaymentOrder.State.CANCELLED)
                .filter(payable_kind=kind, payable_id=str(payable_id))
                .first()
            )
            if first is None:
                raise
            return first
        _write_lines(order, lines)
        record_change(
            order,
            "created",
            user=created_by or user,
            details={"amount_ore": total, "due_date": str(due_date or "")},
            event="created",
        )
        if due_date is not None:  # a claim: the payer is told, and pays on Min side
            notify_payer(order, "payment.claim", amount_ore=total, deadline=due_date)
    return order


def _replace_lines(order: PaymentOrder, title: str, lines: Sequence[OrderLine], total: int) -> None:
    old = order.amount_ore
    end_live_attempt(order, name="attempt_superseded")
    order.lines.all().delete()
    _write_lines(order, lines)
    move(
        order,
        PaymentOrder.State.OPEN,
        allowed=PaymentOrder.PAYABLE,
        amount_ore=total,
        title=title.strip(),
        provider="",
        provider_reference="",
    )
    record_change(order, "amount_changed", details={"from_ore": old, "amount_ore": total})


def cancel(order: PaymentOrder, *, reason: str, user: User | None = None) -> PaymentOrder:
    """Cancel an order that is not paid (a claim withdrawn, a payable that refused it).

    A payment started or reserved for it is cancelled at the provider by the worker; a paid
    order is refunded instead (:func:`payments.services.refund`).
    """
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("Skriv hvorfor ordren kanselleres."), field="reason")
    if disallowed_text_error(reason):
        raise ActionRefused(disallowed_text_error(reason) or "", field="reason")
    with transaction.atomic():
        order = PaymentOrder.objects.select_for_update().get(pk=order.pk)
        from_state = order.state
        if not move(
            order,
            PaymentOrder.State.CANCELLED,
            allowed=(*PaymentOrder.PAYABLE, PaymentOrder.State.AUTHORIZED),
        ):
            raise ActionRefused(_("Ordren er allerede betalt eller kansellert."))
        end_live_attempt(order, name="attempt_cancelled")
        reserved = order.attempts.filter(state=PaymentAttempt.State.AUTHORIZED)
        for attempt in reserved:
            PaymentAttempt.objects.filter(pk=attempt.pk).update(cancel_pending=True)
            enqueue(tasks.cancel_attempt, str(attempt.pk))
        record_change(
            order,
            "cancelled",
            user=user,
            from_state=from_state,
            details={"reason": reason[:500]},
            event="cancelled",
        )
        payable_for(order.payable_kind).on_cancelled(order)
    return order
