"""The booking's calendar file as an attachment to its notices (confirmed, moved, cancelled).

The notice stores only ``booking.ics:<reservation id>``; the file is made when the email
goes out (:mod:`iktipet.messaging.generated`), from the reservation as it is then: the same
UID every time, the SEQUENCE that rose with each change, METHOD:CANCEL once it is gone.
"""

from __future__ import annotations

import uuid

from iktipet.booking import ics
from iktipet.booking.models import RentalRequest, Reservation
from iktipet.messaging import generated

KIND = "booking.ics"
RENTAL_KIND = "booking.rental-ics"
#: The notices that carry the file. A reminder does not: the event is already in the calendar.
EVENTS = frozenset({"booking.confirmed", "booking.changed", "booking.cancelled"})


def attachment_for(reservation: Reservation, event: str) -> str:
    """The reference a notice about ``reservation`` carries, or "" for none."""
    return generated.reference(KIND, reservation.pk) if event in EVENTS else ""


def render(key: str) -> generated.GeneratedFile | None:
    try:
        pk = uuid.UUID(key)
    except ValueError:
        return None
    reservation = (
        Reservation.objects.select_related("resource__agency", "user").filter(pk=pk).first()
    )
    if reservation is None:
        return None
    return generated.GeneratedFile(
        filename="timebestilling.ics",
        content=ics.booking_ics(reservation),
        mimetype="text/calendar",
        params={"method": ics.method_for(reservation)},
    )


def rental_attachment(request: RentalRequest) -> str:
    """The reference for the decision notice of a weekly rental: all its dates."""
    return generated.reference(RENTAL_KIND, request.pk)


def render_rental(key: str) -> generated.GeneratedFile | None:
    try:
        pk = uuid.UUID(key)
    except ValueError:
        return None
    reservations = list(
        Reservation.objects.select_related("resource__agency", "user")
        .filter(rental_id=pk)
        .order_by("starts_at")
    )
    if not reservations:
        return None
    content = ics.rental_ics(reservations, reservations[0].resource.name_nb)
    cancelled = all(not r.is_active for r in reservations)
    return generated.GeneratedFile(
        filename="leie.ics",
        content=content,
        mimetype="text/calendar",
        params={"method": "CANCEL" if cancelled else "PUBLISH"},
    )


def register() -> None:
    generated.register_renderer(KIND, render)
    generated.register_renderer(RENTAL_KIND, render_rental)
