"""Calendar files (RFC 5545): one booking for the person, and a resource's feed for staff.

Times are written with TZID=Europe/Oslo and the VTIMEZONE that defines it (made by
icalendar from the tz database), so a calendar shows the same wall-clock time across DST.
The UID is the reservation's id and never changes; SEQUENCE is the reservation's, which
rises on every change; a cancelled booking is METHOD:CANCEL with STATUS:CANCELLED.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from iktipet.booking import clock, timetable
from iktipet.booking.models import Reservation, Resource

PRODID = "-//Iktipet//Timebestilling//NO"


def uid_for(reservation: Reservation) -> str:
    return f"{reservation.pk}@booking.iktipet"


def _calendar(method: str, name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Oslo")
    return cal


def _event(reservation: Reservation, *, for_staff: bool, stamp: datetime) -> Event:
    resource = reservation.resource
    agency = resource.agency
    event = Event()
    event.add("uid", uid_for(reservation))
    event.add("dtstamp", stamp)
    event.add("sequence", reservation.sequence)
    event.add("dtstart", reservation.starts_at.astimezone(timetable.OSLO))
    event.add("dtend", reservation.ends_at.astimezone(timetable.OSLO))
    title = resource.name_nb if for_staff else f"{resource.name_nb} – {agency.name_nb}"
    if for_staff:
        title = f"{title}: {reservation.user.get_full_name()}".strip()
    event.add("summary", title)
    event.add("location", resource.location)
    cancelled = reservation.status in (
        Reservation.Status.CANCELLED,
        Reservation.Status.REJECTED,
        Reservation.Status.EXPIRED,
    )
    pending = reservation.status == Reservation.Status.PENDING
    event.add("status", "CANCELLED" if cancelled else ("TENTATIVE" if pending else "CONFIRMED"))
    organizer = vCalAddress(f"mailto:{agency.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = vText(agency.name_nb)
    event.add("organizer", organizer)
    if reservation.email and not for_staff:
        attendee = vCalAddress(f"mailto:{reservation.email}")
        attendee.params["cn"] = vText(reservation.user.get_full_name() or reservation.email)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    event.add("last-modified", reservation.updated_at)
    return event


def method_for(reservation: Reservation) -> str:
    """PUBLISH while the booking stands, CANCEL once it is gone."""
    cancelled = not reservation.is_active and reservation.status != Reservation.Status.NO_SHOW
    return "CANCEL" if cancelled else "PUBLISH"


def booking_ics(reservation: Reservation) -> bytes:
    """The person's file: PUBLISH while the booking stands, CANCEL once it is gone."""
    cal = _calendar(method_for(reservation), reservation.resource.name_nb)
    cal.add_component(_event(reservation, for_staff=False, stamp=clock.now()))
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_ics(resource: Resource, reservations: Iterable[Reservation]) -> bytes:
    """The staff feed of a resource: its confirmed and pending bookings."""
    cal = _calendar("PUBLISH", resource.name_nb)
    stamp = clock.now()
    for reservation in reservations:
        cal.add_component(_event(reservation, for_staff=True, stamp=stamp))
    cal.add_missing_timezones()
    return cal.to_ical()


def rental_ics(reservations: list[Reservation], name: str) -> bytes:
    """A weekly rental's dates, one event each (their own UIDs and SEQUENCEs), so that a
    later change or cancel of one date updates just that event in the calendar."""
    cancelled = all(not r.is_active for r in reservations)
    cal = _calendar("CANCEL" if cancelled else "PUBLISH", name)
    stamp = clock.now()
    for reservation in reservations:
        cal.add_component(_event(reservation, for_staff=False, stamp=stamp))
    cal.add_missing_timezones()
    return cal.to_ical()
