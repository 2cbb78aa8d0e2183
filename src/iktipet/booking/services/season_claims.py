"""A time of a season (a weekly rental) cancelled by the agency: its share of the claim.

A season has one claim for the whole request, priced date by date from the minutes booked
on each date (``services.rental.raise_rental_claim``), so a cancelled time is worth what its
date cost with it less what the date costs without it: the whole date's price
(``rental.price_per_date``) when it was the date's only time, and, time by time, the
date's price in total when the date is cancelled in parts (a part-hour date is rounded once,
not per time). What happens to that share depends on the claim:

- not paid (open, or a payment under way): the claim is rebuilt from the times still
  booked, and the request's total set with it in one transaction, so that the citizen pays
  only for what they get (and paying it is accepted, ``services.paid``); with no time left
  the claim is cancelled;
- reserved at the provider, not yet taken: the reservation is let go (payments cancels it at
  the provider) and the times still booked are claimed anew;
- paid: the share is refunded through payments (provider, history, audit, the payer told),
  once per time (the refund's key is the time's), and never more than is left to refund.

The person cannot cancel a season's time alone (``changes._not_one_date_of_a_season``): only
the agency gets here, and the agency's cancellation always gives the money back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from iktipet.booking import rental, timetable
from iktipet.booking.models import RentalRequest, Reservation
from iktipet.booking.services.rental import KIND, booked_minutes, raise_rental_claim
from iktipet.core import audit
from iktipet.payments import services as payments
from iktipet.payments.models import PaymentOrder, Refund

if TYPE_CHECKING:
    from iktipet.accounts.types import User

State = PaymentOrder.State
#: Why the claim is let go when no time is left (bokmål, as every order's history).
NOTHING_LEFT = "Alle tidene i leien er avlyst av virksomheten."


def season_order(request_id: object) -> PaymentOrder | None:
    """The season's live claim (a cancelled one is history)."""
    return (
        PaymentOrder.objects.filter(payable_kind=KIND, payable_id=str(request_id))
        .exclude(state=State.CANCELLED)
        .first()
    )


def share_of(reservation: Reservation) -> int:
    """The øre a cancelled time of a season took off its date's price. Read after the cancel
    (the time is no longer booked): 0 for a time that was not."""
    if reservation.status != Reservation.Status.CANCELLED or reservation.rental is None:
        return 0
    request = reservation.rental
    day = reservation.starts_at.astimezone(timetable.OSLO).date()
    left = booked_minutes(request).get(day, 0)
    mine = int((reservation.ends_at - reservation.starts_at).total_seconds()) // 60
    price = request.price_per_hour_ore
    return rental.price_for_minutes(price, left + mine) - rental.price_for_minutes(price, left)


def refund_due(reservation: Reservation) -> int | None:
    """For the cancellation notice: the øre coming back, or None when nothing was paid."""
    order = season_order(reservation.rental_id)
    if order is None or order.state not in (State.CAPTURED, State.REFUNDED):
        return None
    return min(share_of(reservation), max(order.refundable_ore, 0))


def settle_cancelled_time(reservation: Reservation, *, user: User, rule: str, reason: str) -> int:
    """Settle one cancelled time of a season with its claim; the øre refunded."""
    if reservation.rental_id is None:
        return 0
    request = RentalRequest.objects.select_related("resource__agency").get(pk=reservation.rental_id)
    reservation.rental = request
    order = season_order(request.pk)
    if order is None:
        return 0  # not approved yet, or nothing to pay (free rent)
    if order.state in (*PaymentOrder.PAYABLE, State.AUTHORIZED):
        with transaction.atomic():
            order = PaymentOrder.objects.select_for_update().get(pk=order.pk)
            if order.state in (*PaymentOrder.PAYABLE, State.AUTHORIZED):
                _claim_what_is_left(request, order, user=user)
                return 0
        # Paid meanwhile: the share is refunded as from any paid claim.
    if order.state not in (State.CAPTURED, State.REFUNDED):
        return 0
    order.refresh_from_db()
    amount = min(share_of(reservation), max(order.refundable_ore, 0))
    if amount <= 0:
        audit.record(
            user,
            "booking.refund_refused",
            reservation,
            {"order": order.reference, "rule": "nothing_left_to_refund"},
        )
        return 0
    row = payments.refund(
        order,
        amount,
        user=user,
        reason=reason,
        by_rule=rule,
        key=f"booking-time-{reservation.pk.hex}",
    )
    if row.state == Refund.State.FAILED:
        return 0  # the provider refused it before (the same key): finance takes it from here
    audit.record(
        user,
        "booking.refunded",
        reservation,
        {"order": order.reference, "amount_ore": row.amount_ore, "rule": rule},
    )
    return row.amount_ore


def _claim_what_is_left(request: RentalRequest, order: PaymentOrder, *, user: User) -> None:
    """In the caller's transaction, with the order locked: the claim for the times still
    booked (lines and the request's total together), or none when no time is left."""
    if order.state == State.AUTHORIZED:
        # The amount reserved at the provider cannot shrink: let it go, and claim anew.
        order = payments.cancel(
            order, reason="Leien er endret av virksomheten: nytt krav for resten."
        )
    if raise_rental_claim(request, user=user) is None and order.state != State.CANCELLED:
        payments.cancel(order, reason=NOTHING_LEFT)
    audit.record(
        user,
        "booking.rental_claim_changed",
        request,
        {"order": order.reference, "total_ore": request.total_ore},
    )
