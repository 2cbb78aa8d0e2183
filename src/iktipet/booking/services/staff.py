"""Staff actions on a resource, and the reminder sweep."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from iktipet.booking import clock, timetable
from iktipet.booking.models import Closure, Reservation, Resource, new_feed_token
from iktipet.booking.services import notices
from iktipet.booking.services.changes import CHANGEABLE, cancel_booking
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.core.forms import disallowed_text_error

if TYPE_CHECKING:
    from iktipet.accounts.types import User


def add_closure(resource: Resource, *, user: User, day: date | None, reason: str) -> Closure:
    """Close a day: the bookings on it are cancelled and each person is told."""
    errors = {}
    if day is None:
        errors["date"] = _("Skriv en gyldig dato.")
    elif day < timetable.today_local(clock.now()):
        errors["date"] = _("Datoen har vært.")
    if not reason.strip():
        errors["reason"] = _("Skriv årsaken, den vises for innbyggerne.")
    elif len(reason) > 200:
        errors["reason"] = _("Årsaken kan ha høyst 200 tegn.")
    elif problem := disallowed_text_error(reason):
        errors["reason"] = problem
    if errors:
        raise ActionRefused(errors)
    assert day is not None
    start = timetable.local_instant(day, datetime.min.time())
    end = timetable.local_instant(day + timedelta(days=1), datetime.min.time())
    with transaction.atomic():
        try:
            with transaction.atomic():
                closure = Closure.objects.create(resource=resource, date=day, reason=reason.strip())
        except IntegrityError:
            raise ActionRefused(_("Dagen er allerede stengt."), field="date") from None
        audit.record(user, "booking.closure_added", closure, {"date": day.isoformat()})
        for reservation in Reservation.objects.select_related("resource__agency", "user").filter(
            resource=resource, status__in=CHANGEABLE, starts_at__gte=start, starts_at__lt=end
        ):
            cancel_booking(
                reservation,
                user=user,
                sequence=reservation.sequence,
                by_staff=True,
                reason=reason,
            )
    return closure


def rotate_feed_token(resource: Resource, *, user: User) -> Resource:
    """A new secret feed address; the old one stops working at once."""
    with transaction.atomic():
        resource.feed_token = new_feed_token()
        resource.save(update_fields=["feed_token"])
        audit.record(user, "booking.feed_rotated", resource)
    return resource


def send_due_reminders(now: datetime | None = None) -> int:
    """A reminder for each confirmed booking within its resource's reminder window, claimed
    by a conditional UPDATE so that two workers never send one twice. A cancelled booking is
    not confirmed, and a moved one is asked about at its new time."""
    now = now or clock.now()
    sent = 0
    candidates = Reservation.objects.select_related("resource__agency", "user").filter(
        status=Reservation.Status.CONFIRMED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=72),
    )
    for reservation in candidates[:500]:
        window = timedelta(hours=reservation.resource.reminder_hours)
        if reservation.starts_at > now + window:
            continue
        if reservation.confirmed_at and reservation.confirmed_at > reservation.starts_at - window:
            continue  # booked inside the window: the confirmation was the reminder
        with transaction.atomic():
            claimed = Reservation.objects.filter(
                pk=reservation.pk,
                status=Reservation.Status.CONFIRMED,
                reminded_at__isnull=True,
                starts_at=reservation.starts_at,
            ).update(reminded_at=now)
            if claimed:
                notices.notify_person(reservation, "booking.reminder")
                sent += 1
    return sent
