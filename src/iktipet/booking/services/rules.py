"""The rules a requested time must meet, each refused with its own message."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils.translation import gettext as _

from iktipet.booking import selectors, timetable
from iktipet.booking.models import Reservation, Resource
from iktipet.core.errors import ActionRefused

if TYPE_CHECKING:
    from iktipet.accounts.types import User


def bookable_slot(resource: Resource, starts_at: datetime, now: datetime) -> timetable.SlotTime:
    """The slot at ``starts_at`` if a person may book it now; else the reason, refused."""
    if starts_at <= now:
        raise ActionRefused(_("Tidspunktet har allerede vært."), field="slot", code="past")
    if starts_at < now + timedelta(minutes=resource.min_notice_minutes):
        raise ActionRefused(
            _("Tidspunktet er for nært. Du må bestille minst %(minutes)s minutter før.")
            % {"minutes": resource.min_notice_minutes},
            field="slot",
            code="notice",
        )
    day = timetable.today_local(starts_at)
    if day > timetable.today_local(now) + timedelta(days=resource.horizon_days):
        raise ActionRefused(
            _("Du kan bare bestille inntil %(days)s dager fram i tid.")
            % {"days": resource.horizon_days},
            field="slot",
            code="horizon",
        )
    reason = selectors.closed_reason(resource, day, selectors.closures_between(resource, day, day))
    if reason:
        raise ActionRefused(
            _("Det er stengt denne dagen (%(reason)s).") % {"reason": reason},
            field="slot",
            code="closed",
        )
    slot = selectors.slot_at(resource, starts_at)
    if slot is None:
        raise ActionRefused(
            _("Det er ikke et ledig tidspunkt. Velg et tidspunkt fra listen."),
            field="slot",
            code="no_slot",
        )
    return slot


def active_for_person(resource: Resource, user: User, now: datetime) -> Q:
    return Q(resource=resource, user=user, ends_at__gte=now) & (
        Q(status__in=(Reservation.Status.PENDING, Reservation.Status.CONFIRMED))
        | Q(status=Reservation.Status.HELD, held_until__gte=now)
    )


def check_quota(resource: Resource, user: User, now: datetime, *, moving: bool = False) -> None:
    """At most ``quota_per_person`` coming bookings (a move keeps the count)."""
    if moving:
        return
    count = Reservation.objects.filter(active_for_person(resource, user, now)).count()
    if count >= resource.quota_per_person:
        raise ActionRefused(
            _(
                "Du har allerede %(count)s kommende bestillinger her, som er det meste du kan ha. "
                "Avbestill en av dem først."
            )
            % {"count": count},
            field="slot",
            code="quota",
        )
