"""Taking and giving back one place in a slot: the only code that touches ``Slot.taken``.

Taking is one conditional UPDATE, ``taken = taken + 1 WHERE taken < capacity``: the
database decides who gets the last place, never a count read before an insert. The counter
row is made on first use (``get_or_create`` on the unique (resource, starts_at)); two
requests making it at once both end up with the one row. On SQLite every write transaction
is IMMEDIATE (settings), so the UPDATE cannot race; on PostgreSQL the row lock taken by the
UPDATE serialises takers of one slot for the length of their (short) transaction, and the
check constraint ``taken <= capacity`` stands behind both.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from iktipet.booking import timetable
from iktipet.booking.models import Reservation, Resource, Slot
from iktipet.core.errors import ActionRefused


class SlotFull(ActionRefused):
    def __init__(self, starts_at: datetime) -> None:
        super().__init__(_("Tidspunktet er fullt."), field="slot", code="full")
        self.starts_at = starts_at


def _counter(resource: Resource, slot: timetable.SlotTime) -> Slot:
    try:
        with transaction.atomic():
            counter, _created = Slot.objects.get_or_create(
                resource=resource,
                starts_at=slot.starts_at,
                defaults={"ends_at": slot.ends_at, "capacity": slot.capacity},
            )
    except IntegrityError:  # made by another request between our read and our insert
        counter = Slot.objects.get(resource=resource, starts_at=slot.starts_at)
    return counter


def take_place(resource: Resource, slot: timetable.SlotTime, now: datetime) -> Slot:
    """One place in ``slot`` (inside the caller's transaction), or :class:`SlotFull`.

    Holds that expired but were not yet swept give their place back first, so a slot is
    never refused for people who have gone.
    """
    counter = _counter(resource, slot)
    if _take(counter):
        return counter
    if release_expired_in(counter, now) and _take(counter):
        return counter
    raise SlotFull(slot.starts_at)


def _take(counter: Slot) -> bool:
    return bool(
        Slot.objects.filter(pk=counter.pk, taken__lt=F("capacity")).update(taken=F("taken") + 1)
    )


def give_back(slot_id: int, now: datetime | None = None) -> None:
    """Return one place (the caller has just moved a reservation out of an active status).

    A place freed goes first to the slot's waitlist, if anyone waits: every way a place
    frees up (cancel, reject, move, a lapsed hold) comes through here.
    """
    if Slot.objects.filter(pk=slot_id, taken__gt=0).update(taken=F("taken") - 1):
        from iktipet.booking.services import waitlist  # waitlist takes places through us

        waitlist.offer_next(slot_id, now=now)


def try_take(counter: Slot) -> bool:
    """One place in ``counter`` if there is one, without sweeping lapsed holds."""
    return _take(counter)


def release_expired_in(counter: Slot, now: datetime) -> int:
    """Expire the lapsed holds of one slot; each one moved gives back its place."""
    released = 0
    for pk in Reservation.objects.filter(
        slot=counter, status=Reservation.Status.HELD, held_until__lt=now
    ).values_list("pk", flat=True):
        if expire_one(pk, now):
            released += 1
    return released


def expire_one(pk: uuid.UUID, now: datetime) -> bool:
    """held → expired for one lapsed hold, giving back its place; False if it moved on."""
    row = Reservation.objects.filter(pk=pk).values("slot_id").first()
    if row is None:
        return False
    moved = Reservation.objects.filter(
        pk=pk, status=Reservation.Status.HELD, held_until__lt=now
    ).update(status=Reservation.Status.EXPIRED, updated_at=now)
    if moved:
        give_back(row["slot_id"], now)
    return bool(moved)
