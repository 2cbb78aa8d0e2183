"""A slot held while the person finishes, and the hold made a booking.

``hold_slot`` takes the place at once (so two people never both get to the last step for
one last seat) and keeps it for the resource's ``hold_minutes``; ``confirm_reservation``
turns a hold that has not lapsed into a booking with one conditional UPDATE. A hold that
lapses gives its place back: when the slot is next asked for, or by the periodic sweep.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from iktipet.booking import clock
from iktipet.booking.models import Reservation, Resource
from iktipet.booking.services import capacity, notices, rules
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.core.events import record_event
from iktipet.core.forms import disallowed_text_error

if TYPE_CHECKING:
    from iktipet.accounts.types import User


def _lock_person(user: User) -> None:
    # Serialises one person's own requests (the quota count below); other people's
    # requests do not wait for it. A no-op on SQLite, whose transactions are IMMEDIATE.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def hold_slot(
    resource: Resource,
    *,
    user: User,
    starts_at: datetime,
    topic: str = "",
    note: str = "",
    email: str = "",
    now: datetime | None = None,
    hold_minutes: int | None = None,
) -> Reservation:
    """Hold one place at ``starts_at`` for ``user`` — refused if the time breaks a rule or
    the slot is full (``capacity.SlotFull``). The person's earlier holds here are let go.
    ``hold_minutes``: how long (a booking step's own setting), else the resource's."""
    now = now or clock.now()
    slot = rules.bookable_slot(resource, starts_at, now)
    if topic and resource.topics and topic not in {t["value"] for t in resource.topics}:
        raise ActionRefused(_("Velg et tema fra listen."), field="topic")
    if len(note) > 1000:
        raise ActionRefused(_("Beskrivelsen kan ha høyst 1000 tegn."), field="note")
    if problem := disallowed_text_error(note):
        raise ActionRefused(problem, field="note")
    with transaction.atomic():
        _lock_person(user)
        for pk in Reservation.objects.filter(
            resource=resource, user=user, status=Reservation.Status.HELD
        ).values_list("pk", flat=True):
            _release(pk, now)
        rules.check_quota(resource, user, now)
        counter = capacity.take_place(resource, slot, now)
        reservation = Reservation.objects.create(
            resource=resource,
            slot=counter,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            user=user,
            status=Reservation.Status.HELD,
            held_until=now + timedelta(minutes=hold_minutes or resource.hold_minutes),
            topic=topic,
            note=note,
            email=email or user.email,
            price_ore=price_for(resource, slot.starts_at, slot.ends_at),
        )
        audit.record(
            user, "booking.held", reservation, {"resource": resource.slug, "slot": str(starts_at)}
        )
    return reservation


def price_for(resource: Resource, starts_at: datetime, ends_at: datetime) -> int:
    """The price in øre, from the resource's rule (never from the request)."""
    if resource.price_rule == Resource.PriceRule.PER_BOOKING:
        return resource.price_ore
    if resource.price_rule == Resource.PriceRule.PER_HOUR:
        minutes = int((ends_at - starts_at).total_seconds() // 60)
        return resource.price_ore * minutes // 60
    return 0


def confirm_reservation(
    reservation: Reservation, *, user: User, now: datetime | None = None
) -> Reservation:
    """held → confirmed (or pending, when staff approve), while the hold lasts. A paid
    time is confirmed only by its payment (:func:`confirm_paid`) — unless staff approve it
    first: then the approval raises a claim (premises)."""
    if reservation.price_ore > 0 and not reservation.resource.needs_approval:
        raise ActionRefused(_("Timen må betales før den er bestilt."), code="unpaid")
    return _confirm(reservation, user=user, now=now or clock.now())


def confirm_paid(reservation: Reservation, *, now: datetime) -> Reservation:
    """The payment is authorised (in payments' transaction): the hold becomes a booking,
    or ActionRefused if it lapsed, so that the payment is cancelled and never captured."""
    return _confirm(reservation, user=reservation.user, now=now)


def _confirm(reservation: Reservation, *, user: User, now: datetime) -> Reservation:
    resource = reservation.resource
    status = Reservation.Status.PENDING if resource.needs_approval else Reservation.Status.CONFIRMED
    with transaction.atomic():
        moved = Reservation.objects.filter(
            pk=reservation.pk, user=user, status=Reservation.Status.HELD, held_until__gte=now
        ).update(status=status, held_until=None, confirmed_at=now, updated_at=now)
        if not moved:
            current = Reservation.objects.get(pk=reservation.pk)
            if current.status in (Reservation.Status.CONFIRMED, Reservation.Status.PENDING):
                return current  # a second press of the button
            capacity.expire_one(reservation.pk, now)
        if moved:
            reservation.refresh_from_db()
            audit.record(user, "booking.confirmed", reservation, {"status": status})
            record_event(
                "booking.confirmed",
                subject=f"bookings/{reservation.pk}",
                source="booking",
                agency=resource.agency,
                data={"resource": resource.slug, "starts_at": reservation.starts_at.isoformat()},
            )
            notices.notify_person(reservation, "booking.confirmed")
    if not moved:
        raise ActionRefused(
            _("Tiden du holdt av, er utløpt. Velg et nytt tidspunkt."), code="expired"
        )
    return reservation


def _release(pk: uuid.UUID, now: datetime) -> bool:
    row = Reservation.objects.filter(pk=pk).values("slot_id").first()
    moved = Reservation.objects.filter(pk=pk, status=Reservation.Status.HELD).update(
        status=Reservation.Status.EXPIRED, updated_at=now
    )
    if moved and row:
        capacity.give_back(row["slot_id"])
    return bool(moved)


def release_hold(reservation: Reservation, *, user: User) -> None:
    """The person lets go of their hold (chose another time, left)."""
    with transaction.atomic():
        if _release(reservation.pk, clock.now()):
            audit.record(user, "booking.released", reservation)


def expire_holds(now: datetime | None = None) -> int:
    """The periodic sweep: every lapsed hold gives back its place."""
    # Imported here: paid imports this module (a paid hold is confirmed through it).
    from iktipet.booking.services.paid import cancel_orders_of_lapsed

    now = now or clock.now()
    lapsed = list(
        Reservation.objects.filter(status=Reservation.Status.HELD, held_until__lt=now).values_list(
            "pk", "price_ore"
        )[:1000]
    )
    expired, unpaid = 0, []
    for pk, price in lapsed:
        with transaction.atomic():
            if capacity.expire_one(pk, now):
                expired += 1
                if price:
                    unpaid.append(pk)
    cancel_orders_of_lapsed(unpaid, now)
    return expired
