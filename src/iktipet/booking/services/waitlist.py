"""A waitlist per slot: a person may wait for a full time; when a place frees up
(a cancel, a rejection, a move, a lapsed hold — all through ``capacity.give_back``) the
first in line gets it held in their name for the resource's ``waitlist_hold_minutes``, and
is told. They confirm it as any hold; if they do not, the hold lapses and the next in line
gets it the same way.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from iktipet.booking import clock, timetable
from iktipet.booking.models import Reservation, Resource, Slot, WaitlistEntry
from iktipet.booking.services import capacity, holds, rules
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.messaging.services import notify

if TYPE_CHECKING:
    from iktipet.accounts.types import User

Status = WaitlistEntry.Status


def join_waitlist(
    resource: Resource, *, user: User, starts_at: datetime, now: datetime | None = None
) -> WaitlistEntry:
    """Wait for a place at ``starts_at`` — only when the slot is full (else book it)."""
    now = now or clock.now()
    slot = rules.bookable_slot(resource, starts_at, now)
    counter = Slot.objects.filter(resource=resource, starts_at=slot.starts_at).first()
    if counter is None or counter.taken < counter.capacity:
        raise ActionRefused(
            _("Det er ledig plass på dette tidspunktet. Bestill det i stedet."),
            field="slot",
            code="not_full",
        )
    if Reservation.objects.filter(slot=counter, user=user, status__in=Reservation.ACTIVE).exists():
        raise ActionRefused(_("Du har allerede dette tidspunktet."), field="slot", code="mine")
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(
                resource=resource, starts_at=slot.starts_at, user=user
            )
            audit.record(user, "booking.waitlist_joined", entry, {"resource": resource.slug})
    except IntegrityError:  # already waiting: the same entry, not an error
        return WaitlistEntry.objects.get(
            resource=resource,
            starts_at=slot.starts_at,
            user=user,
            status__in=(Status.WAITING, Status.OFFERED),
        )
    return entry


def leave_waitlist(entry: WaitlistEntry, *, user: User) -> None:
    """The person stops waiting (their own entry only; anyone else's is not found)."""
    with transaction.atomic():
        if WaitlistEntry.objects.filter(pk=entry.pk, user=user, status=Status.WAITING).update(
            status=Status.LEFT
        ):
            audit.record(user, "booking.waitlist_left", entry)


def position(entry: WaitlistEntry) -> int:
    """1 for the first in line."""
    return (
        WaitlistEntry.objects.filter(
            resource_id=entry.resource_id,
            starts_at=entry.starts_at,
            status=Status.WAITING,
            created_at__lte=entry.created_at,
        )
        .exclude(created_at=entry.created_at, pk__gt=entry.pk)
        .count()
    )


def _settle_offers(counter: Slot) -> None:
    # Offers whose hold has since been confirmed are booked; lapsed or let go, lapsed.
    offered = WaitlistEntry.objects.filter(
        resource_id=counter.resource_id, starts_at=counter.starts_at, status=Status.OFFERED
    )
    offered.filter(
        reservation__status__in=(Reservation.Status.PENDING, Reservation.Status.CONFIRMED)
    ).update(status=Status.BOOKED)
    offered.exclude(reservation__status=Reservation.Status.HELD).exclude(
        status=Status.BOOKED
    ).update(status=Status.LAPSED)


def offer_next(slot_id: int, *, now: datetime | None = None) -> WaitlistEntry | None:
    """A place in the slot was given back: hold it for the first in line, and tell them."""
    now = now or clock.now()
    counter = Slot.objects.select_related("resource__agency").filter(pk=slot_id).first()
    if counter is None:
        return None
    _settle_offers(counter)
    if counter.starts_at <= now:
        return None  # the time has come: nobody can use the offer
    for entry in WaitlistEntry.objects.select_related("user").filter(
        resource_id=counter.resource_id, starts_at=counter.starts_at, status=Status.WAITING
    ):
        if Reservation.objects.filter(
            slot=counter, user=entry.user, status__in=Reservation.ACTIVE
        ).exists():  # booked it themselves meanwhile
            WaitlistEntry.objects.filter(pk=entry.pk).update(status=Status.BOOKED)
            continue
        with transaction.atomic():
            if not capacity.try_take(counter):
                return None
            resource = counter.resource
            reservation = Reservation.objects.create(
                resource=resource,
                slot=counter,
                starts_at=counter.starts_at,
                ends_at=counter.ends_at,
                user=entry.user,
                status=Reservation.Status.HELD,
                held_until=now + timedelta(minutes=resource.waitlist_hold_minutes),
                email=entry.user.email,
                price_ore=holds.price_for(resource, counter.starts_at, counter.ends_at),
            )
            WaitlistEntry.objects.filter(pk=entry.pk).update(
                status=Status.OFFERED, offered_at=now, reservation=reservation
            )
            audit.record(None, "booking.waitlist_offered", entry, {"hold": str(reservation.pk)})
            local = reservation.starts_at.astimezone(timetable.OSLO)
            notify(
                event="booking.waitlist_offer",
                user=entry.user,
                agency=resource.agency,
                link_path=reverse("booking:confirm", args=[reservation.pk]),
                context={
                    "service_title": resource.name_nb,
                    "agency_name": resource.agency.name_nb,
                    "deadline": local.date(),
                    "when": f"{local:%H:%M}",
                },
            )
        entry.refresh_from_db()
        return entry
    return None
