"""Money back when a paid booking is cancelled.

The cancellation deadline (``Resource.cancel_deadline_hours`` before the start) binds the
person, not the agency. The person cancelling before it, and the agency cancelling at any
time (a closed day, a cancelled exam), gives the whole amount back through payments as a
system action (no finance role asked; the rule is recorded in the order's history and the
audit), and payments tells the payer. The person cancelling after it — which the booking
services refuse, so only a caller that skips them gets here — gets nothing back, and that is
audited too. A claim not yet paid (premises) is cancelled instead, since nothing was taken.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from iktipet.booking.models import Reservation
from iktipet.booking.services import season_claims
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.payments import services as payments
from iktipet.payments.models import PaymentOrder
from iktipet.payments.selectors import orders_for_payable

if TYPE_CHECKING:
    from iktipet.accounts.types import User

KIND = "booking"
RULE = "booking.cancelled_before_deadline"
AGENCY_RULE = "booking.cancelled_by_agency"
#: Why the money goes back, as the order's history and the provider are told (bokmål, as
#: every refund reason staff write).
REASONS = {
    RULE: "Avbestilt før avbestillingsfristen: hele beløpet betales tilbake.",
    AGENCY_RULE: "Avlyst av virksomheten: hele beløpet betales tilbake.",
}
#: Why one time's share of a season's claim goes back.
SEASON_REASONS = {
    RULE: "En av tidene i leien ble avbestilt før fristen: tidens del av beløpet betales tilbake.",
    AGENCY_RULE: "En av tidene i leien ble avlyst av virksomheten: tidens del av beløpet "
    "betales tilbake.",
}
#: Why a claim or reserved payment is let go (nothing was taken).
CANCEL_REASONS = {
    RULE: "Bestillingen ble avbestilt før fristen.",
    AGENCY_RULE: "Bestillingen ble avlyst av virksomheten.",
}


def before_deadline(reservation: Reservation, now: datetime) -> bool:
    deadline = reservation.starts_at - timedelta(hours=reservation.resource.cancel_deadline_hours)
    return now <= deadline


def refund_rule(reservation: Reservation, now: datetime, *, by_agency: bool) -> str:
    """The rule that gives the money back, or "" when none does."""
    if by_agency:
        return AGENCY_RULE
    return RULE if before_deadline(reservation, now) else ""


def refund_due(reservation: Reservation, now: datetime, *, by_agency: bool) -> int | None:
    """For the cancellation notice: the øre coming back, 0 when nothing comes back (the
    person cancelled after the deadline), or None when nothing was paid."""
    if reservation.rental_id is not None:
        due = season_claims.refund_due(reservation)
        return due if due is None or refund_rule(reservation, now, by_agency=by_agency) else 0
    paid = sum(
        order.refundable_ore
        for order in orders_for_payable(KIND, str(reservation.pk)).filter(
            state=PaymentOrder.State.CAPTURED
        )
    )
    if paid <= 0:
        return None
    return paid if refund_rule(reservation, now, by_agency=by_agency) else 0


def settle_cancelled(
    reservation: Reservation, *, user: User, now: datetime, by_agency: bool = False
) -> int:
    """Refund (or drop the claim of) a cancelled booking; returns the øre refunded.
    ``by_agency``: staff cancelled it, so the deadline does not apply.

    Runs after the cancel is committed: a provider that does not answer leaves the refund
    pending for payments' worker, and never undoes the cancellation.
    """
    refunded = 0
    rule = refund_rule(reservation, now, by_agency=by_agency)
    if reservation.rental_id is not None:
        # A season's claim is the request's, not the time's: the time's share of it.
        if not rule:
            audit.record(user, "booking.refund_refused", reservation, {"rule": "after_deadline"})
            return 0
        return season_claims.settle_cancelled_time(
            reservation, user=user, rule=rule, reason=SEASON_REASONS[rule]
        )
    for order in orders_for_payable(KIND, str(reservation.pk)):
        unpaid = (*PaymentOrder.PAYABLE, PaymentOrder.State.AUTHORIZED)
        if order.state in unpaid and rule:
            # Nothing was taken yet: the claim or the reserved money is let go.
            with transaction.atomic(), contextlib.suppress(ActionRefused):
                payments.cancel(order, reason=CANCEL_REASONS[rule])
            continue
        if order.state not in (*unpaid, PaymentOrder.State.CAPTURED):
            continue
        if not rule or order.state != PaymentOrder.State.CAPTURED:
            audit.record(
                user,
                "booking.refund_refused",
                reservation,
                {"order": order.reference, "rule": "after_deadline"},
            )
            continue
        row = payments.refund(
            order,
            order.refundable_ore,
            user=user,
            reason=REASONS[rule],
            by_rule=rule,
        )
        refunded += row.amount_ore
        audit.record(
            user,
            "booking.refunded",
            reservation,
            {"order": order.reference, "amount_ore": row.amount_ore, "rule": rule},
        )
    return refunded
