"""Notices to the person about their booking, through messaging (in the caller's
transaction, so a rolled-back change sends nothing)."""

from __future__ import annotations

from iktipet.booking import ics_mail, links, timetable
from iktipet.booking.models import Reservation
from iktipet.messaging.services import notify


def when_text(reservation: Reservation) -> str:
    """The local start time (the date goes as ``deadline``, formatted in each language)."""
    return f"{reservation.starts_at.astimezone(timetable.OSLO):%H:%M}"


def notify_person(
    reservation: Reservation,
    event: str,
    *,
    attach: bool = True,
    amount_ore: int | None = None,
    attachment: str = "",
) -> None:
    """``amount_ore``: on a cancellation, the refund (0: none, the deadline had passed),
    written out in the notice's language when it is sent.
    ``attachment``: another file than the booking's own (a weekly rental's dates)."""
    resource = reservation.resource
    path = (
        links.manage_path(reservation) if reservation.status in Reservation.ACTIVE else "/min-side/"
    )
    notify(
        event=event,
        user=reservation.user,
        agency=resource.agency,
        link_path=path,
        context={
            "service_title": resource.name_nb,
            "agency_name": resource.agency.name_nb,
            "deadline": reservation.starts_at.astimezone(timetable.OSLO).date(),
            "when": when_text(reservation),
            "amount_ore": amount_ore,
        },
        attachment=attachment or (ics_mail.attachment_for(reservation, event) if attach else ""),
    )
