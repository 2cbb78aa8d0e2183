"""Money back when a paid booking is cancelled, by the resource's rule.

Cancelled before the cancellation deadline (``Resource.cancel_deadline_hours`` before the
start): the whole amount is refunded through payments as a system action (no finance
role asked; the rule is recorded in the order's history and the audit), and payments tells
the payer. After the deadline: nothing is refunded, and that is audited too. A claim not
yet paid (premises) is cancelled instead, since nothing was taken.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction

from iktipet.booking.models import Reservation
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.core.money import format_nok
from iktipet.payments import services as payments
from iktipet.payments.models import PaymentOrder
from iktipet.payments.selectors import orders_for_payable

if TYPE_CHECKING:
    from iktipet.accounts.types import User

KIND = "booking"
RULE = "booking.cancelled_before_deadline"


def before_deadline(reservation: Reservation, now: datetime) -> bool:
    deadline = reservation.starts_at - timedelta(hours=reservation.resource.cancel_deadline_hours)
    return now <= deadline


def refund_text(reservation: Reservation, now: datetime) -> str:
    """For the cancellation notice: the amount coming back, "0" when the deadline had
    passed, or "" when nothing was paid."""
    paid = sum(
        order.refundable_ore
        for order in orders_for_payable(KIND, str(reservation.pk)).filter(
            state=PaymentOrder.State.CAPTURED
        )
    )
    if paid <= 0:
        return ""
    return format_nok(paid, "nb") if before_deadline(reservation, now) else "0"


def settle_cancelled(reservation: Reservation, *, user: User, now: datetime) -> int:
    """Refund (or drop the claim of) a cancelled booking; returns the øre refunded.

    Runs after the cancel is committed: a provider that does not answer leaves the refund
    pending for payments' worker, and never undoes the cancellation.
    """
    refunded = 0
    in_time = before_deadline(reservation, now)
    for order in orders_for_payable(KIND, str(reservation.pk)):
        unpaid = (*PaymentOrder.PAYABLE, PaymentOrder.State.AUTHORIZED)
        if order.state in unpaid and in_time:
            # Nothing was taken yet: the claim or the reserved money is let go.
            with transaction.atomic(), contextlib.suppress(ActionRefused):
                payments.cancel(order, reason="Bestillingen ble avbestilt før fristen.")
            continue
        if order.state not in (*unpaid, PaymentOrder.State.CAPTURED):
            continue
        if not in_time or order.state != PaymentOrder.State.CAPTURED:
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
            reason="Avbestilt før avbestillingsfristen: hele beløpet betales tilbake.",
            by_rule=RULE,
        )
        refunded += row.amount_ore
        audit.record(
            user,
            "booking.refunded",
            reservation,
            {"order": order.reference, "amount_ore": row.amount_ore, "rule": RULE},
        )
    return refunded
