"""Changes to a booking: cancel, move, approve or reject, no-show.

Each is a conditional UPDATE on the reservation's status *and* ``sequence`` — the version
the person (or a signed link) saw — so a change made meanwhile in another tab, by staff or
by an old link is refused rather than overwritten. ``sequence`` rises on every change; it is
the calendar file's SEQUENCE and what makes old signed links stale.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from iktipet.booking import clock
from iktipet.booking.models import Reservation
from iktipet.booking.services import capacity, notices, paid, refunds, rules
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.core.events import record_event

if TYPE_CHECKING:
    from iktipet.accounts.types import User

CHANGEABLE = (Reservation.Status.CONFIRMED, Reservation.Status.PENDING)


def _not_one_date_of_a_season(reservation: Reservation) -> None:
    """A weekly rental is requested, priced and claimed as one (services.rental): the
    person cannot cancel or move one of its times alone, which would give the time to
    others while the season's claim still charges for it, and refund nothing (the claim
    is the request's, not the time's). A pending request is withdrawn as a whole."""
    if reservation.rental_id is not None:
        raise ActionRefused(
            _(
                "Denne tiden er en del av en fast leie og kan ikke avbestilles eller flyttes "
                "alene. Trekk hele forespørselen, eller kontakt virksomheten."
            ),
            code="rental",
        )


def _before_deadline(reservation: Reservation, now: datetime) -> None:
    deadline = reservation.starts_at - timedelta(hours=reservation.resource.cancel_deadline_hours)
    if now > deadline:
        raise ActionRefused(
            _(
                "Fristen for å endre eller avbestille er ute (%(hours)s timer før). "
                "Ta kontakt med %(agency)s."
            )
            % {
                "hours": reservation.resource.cancel_deadline_hours,
                "agency": reservation.resource.agency.name,
            },
            code="deadline",
        )


def _stale() -> ActionRefused:
    return ActionRefused(
        _("Bestillingen er endret siden du åpnet siden. Se den slik den er nå."), code="stale"
    )


def _event(reservation: Reservation, kind: str, user: User, details: dict[str, object]) -> None:
    audit.record(user, f"booking.{kind}", reservation, details)
    record_event(
        f"booking.{kind}",
        subject=f"bookings/{reservation.pk}",
        source="booking",
        agency=reservation.resource.agency,
        data={"starts_at": reservation.starts_at.isoformat(), **details},
    )


def cancel_booking(
    reservation: Reservation,
    *,
    user: User,
    sequence: int,
    by_staff: bool = False,
    reason: str = "",
    now: datetime | None = None,
) -> Reservation:
    """Cancel: the place is given back, the person told. The deadline binds the person: a
    staff cancel has none, and gives back all that was paid (``refunds``)."""
    now = now or clock.now()
    if not by_staff:
        _not_one_date_of_a_season(reservation)
        _before_deadline(reservation, now)
    with transaction.atomic():
        moved = Reservation.objects.filter(
            pk=reservation.pk, status__in=CHANGEABLE, sequence=sequence
        ).update(
            status=Reservation.Status.CANCELLED,
            cancelled_at=now,
            sequence=F("sequence") + 1,
            updated_at=now,
        )
        if not moved:
            raise _stale()
        capacity.give_back(reservation.slot_id)
        reservation.refresh_from_db()
        _event(reservation, "cancelled", user, {"by_staff": by_staff, "reason": reason[:200]})
        notices.notify_person(
            reservation,
            "booking.cancelled",
            amount_ore=refunds.refund_due(reservation, now, by_agency=by_staff),
        )
    # After the cancel is committed: a refund the provider is slow with never undoes it.
    refunds.settle_cancelled(reservation, user=user, now=now, by_agency=by_staff)
    return reservation


def reschedule_booking(
    reservation: Reservation,
    *,
    user: User,
    sequence: int,
    starts_at: datetime,
    by_staff: bool = False,
    now: datetime | None = None,
) -> Reservation:
    """Move to another slot: the new place taken first, the old one given back, in one
    transaction; the reminder is sent again for the new time."""
    now = now or clock.now()
    resource = reservation.resource
    if not by_staff:
        _not_one_date_of_a_season(reservation)
        _before_deadline(reservation, now)
    if starts_at == reservation.starts_at:
        raise ActionRefused(_("Velg et annet tidspunkt enn det du har."), field="slot")
    slot = rules.bookable_slot(resource, starts_at, now)
    with transaction.atomic():
        counter = capacity.take_place(resource, slot, now)
        old_slot = reservation.slot_id
        moved = Reservation.objects.filter(
            pk=reservation.pk, status__in=CHANGEABLE, sequence=sequence
        ).update(
            slot=counter,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            sequence=F("sequence") + 1,
            reminded_at=None,
            updated_at=now,
        )
        if not moved:
            raise _stale()  # rolls back the place taken above
        capacity.give_back(old_slot)
        reservation.refresh_from_db()
        _event(reservation, "changed", user, {"by_staff": by_staff})
        notices.notify_person(reservation, "booking.changed")
    return reservation


def decide_booking(
    reservation: Reservation, *, user: User, approve: bool, now: datetime | None = None
) -> Reservation:
    """Staff approve (pending → confirmed) or reject (the place is given back)."""
    now = now or clock.now()
    status = Reservation.Status.CONFIRMED if approve else Reservation.Status.REJECTED
    with transaction.atomic():
        moved = Reservation.objects.filter(
            pk=reservation.pk, status=Reservation.Status.PENDING
        ).update(status=status, sequence=F("sequence") + 1, updated_at=now)
        if not moved:
            raise _stale()
        if not approve:
            capacity.give_back(reservation.slot_id)
        reservation.refresh_from_db()
        if approve and reservation.price_ore > 0:
            paid.raise_claim(reservation, user=user)
        _event(reservation, "approved" if approve else "rejected", user, {})
        notices.notify_person(reservation, "booking.confirmed" if approve else "booking.cancelled")
    return reservation


def mark_no_show(reservation: Reservation, *, user: User, now: datetime | None = None) -> None:
    now = now or clock.now()
    if reservation.starts_at > now:
        raise ActionRefused(_("Timen har ikke begynt ennå."), code="not_started")
    with transaction.atomic():
        moved = Reservation.objects.filter(
            pk=reservation.pk, status=Reservation.Status.CONFIRMED
        ).update(status=Reservation.Status.NO_SHOW, updated_at=now)
        if not moved:
            raise _stale()
        audit.record(user, "booking.no_show", reservation)
