"""Paid bookings: the hold is paid through the payments building block.

The person holds a time, then pays. The order's payable is ``("booking", <reservation>)``;
when the provider has reserved the money, payments calls :class:`BookingPayable`'s
``on_authorized`` inside its transaction, which turns the hold into a booking with the same
conditional UPDATE as a free confirmation — or, if the hold lapsed meanwhile, refuses: then
payments cancels the payment at the provider and never captures it, and the person is told
on the booking page to choose a new time. No payment, no seat: an unpaid hold lapses as any
other, and the sweep cancels its open order.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from iktipet.accounts.parties import for_self
from iktipet.booking import clock, timetable
from iktipet.booking.models import RentalRequest, Reservation
from iktipet.booking.services import holds
from iktipet.core.errors import ActionRefused
from iktipet.payments import services as payments
from iktipet.payments.models import PaymentOrder
from iktipet.payments.payables import Payable
from iktipet.payments.providers.base import OrderLine
from iktipet.payments.selectors import orders_for_payable

if TYPE_CHECKING:
    from iktipet.accounts.types import ActingParty, User

KIND = "booking"


def start_booking_payment(
    reservation: Reservation, *, user: User, party: ActingParty
) -> PaymentOrder:
    """The order for a held, paid time (the same order again on a second press)."""
    now = clock.now()
    if reservation.price_ore <= 0:
        raise ActionRefused(_("Denne timen koster ingenting."))
    if (
        reservation.status != Reservation.Status.HELD
        or reservation.held_until is None
        or reservation.held_until < now
    ):
        raise ActionRefused(
            _("Tiden du holdt av, er utløpt. Velg et nytt tidspunkt."), code="expired"
        )
    resource = reservation.resource
    start = reservation.starts_at.astimezone(timetable.OSLO)
    return payments.create_order(
        payable=(KIND, str(reservation.pk)),
        agency=resource.agency,
        title=f"{resource.name_nb} {start:%d.%m.%Y %H:%M}",
        lines=[OrderLine(text=resource.name_nb, quantity=1, unit_price_ore=reservation.price_ore)],
        user=user,
        party=party,
    )


def raise_claim(reservation: Reservation, *, user: User) -> PaymentOrder:
    """Approved premises are paid afterwards: a claim on the person, due before the day
    (or in 14 days, whichever is sooner), paid from Min side."""
    resource = reservation.resource
    start = reservation.starts_at.astimezone(timetable.OSLO)
    due = min(
        start.date() - timedelta(days=1), timetable.today_local(clock.now()) + timedelta(days=14)
    )
    hours = (reservation.ends_at - reservation.starts_at).total_seconds() / 3600
    return payments.create_order(
        payable=(KIND, str(reservation.pk)),
        agency=resource.agency,
        title=f"{resource.name_nb} {start:%d.%m.%Y %H:%M}",
        lines=[
            OrderLine(
                text=f"{resource.name_nb}, {hours:g} t",
                quantity=1,
                unit_price_ore=reservation.price_ore,
            )
        ],
        user=reservation.user,
        party=for_self(reservation.user),
        due_date=due,
        reason="Godkjent leie",
        created_by=user,
    )


def _reservation(order: PaymentOrder) -> Reservation:
    return Reservation.objects.select_related("resource__agency", "user").get(
        pk=uuid.UUID(order.payable_id)
    )


def _rental(order: PaymentOrder) -> RentalRequest | None:
    # A season's claim is paid for the whole request (services.rental), not one time.
    return RentalRequest.objects.filter(pk=uuid.UUID(order.payable_id)).first()


class BookingPayable(Payable):
    def on_authorized(self, order: PaymentOrder) -> None:
        request = _rental(order)
        if request is not None:
            if order.amount_ore != request.total_ore:
                raise ActionRefused(_("Beløpet stemmer ikke med prisen for leien."))
            return  # approved already: the claim is only paid now
        reservation = _reservation(order)
        if order.amount_ore != reservation.price_ore:
            raise ActionRefused(_("Beløpet stemmer ikke med prisen for timen."))
        holds.confirm_paid(reservation, now=clock.now())

    def on_cancelled(self, order: PaymentOrder) -> None:
        if _rental(order) is not None:
            return
        reservation = _reservation(order)
        if reservation.status == Reservation.Status.HELD:
            holds.release_hold(reservation, user=reservation.user)

    def return_path(self, order: PaymentOrder) -> str:
        if _rental(order) is not None:
            return reverse("booking:rental", args=[order.payable_id])
        return reverse("booking:booking", args=[order.payable_id])


def cancel_orders_of_lapsed(reservations: list[uuid.UUID], now: datetime) -> None:
    """The open orders of holds that lapsed unpaid are cancelled (nothing was taken)."""
    for pk in reservations:
        for order in orders_for_payable(KIND, str(pk)).filter(state__in=PaymentOrder.PAYABLE):
            # Paid or cancelled meanwhile: nothing to do.
            with transaction.atomic(), contextlib.suppress(ActionRefused):
                payments.cancel(order, reason="Tiden som var holdt av, gikk ut.")
