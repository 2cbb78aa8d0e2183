"""A weekly recurring rental request (every Tuesday 18–20 this season), as one.

``request_rental`` checks each date, keeps what it found (:class:`RentalDate`) and holds
each free date's slots as pending reservations of the request, so nobody else takes them
while staff decide. ``decide_rental`` approves or rejects them all together; an approval
raises one claim through payments (payable ``booking``): price per hour × hours × dates,
nothing when the organisation rents for free by the resource's rule.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from iktipet.accounts.parties import ActingParty
from iktipet.booking import clock, ics_mail, rental, timetable
from iktipet.booking.models import RentalDate, RentalRequest, Reservation, Resource
from iktipet.booking.services import capacity, notices
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.core.events import record_event
from iktipet.core.forms import disallowed_text_error
from iktipet.payments import services as payments
from iktipet.payments.models import PaymentOrder
from iktipet.payments.providers.base import OrderLine

if TYPE_CHECKING:
    from iktipet.accounts.types import User

KIND = "booking"  # the payable kind (services.paid); the id is the request's


def _validate(
    resource: Resource, weekday: int, starts: time, ends: time, first: date, last: date, note: str
) -> list[date]:
    errors: dict[str, str] = {}
    if resource.price_rule != Resource.PriceRule.PER_HOUR or not resource.needs_approval:
        raise ActionRefused(_("Dette kan ikke leies fast hver uke."), code="not_rental")
    if not 0 <= weekday <= 6:
        errors["weekday"] = _("Velg en ukedag.")
    if ends <= starts:
        errors["ends"] = _("Sluttiden må være etter starttiden.")
    if last < first:
        errors["last_date"] = _("Siste dato må være samme dag som eller etter første dato.")
    if len(note) > 1000:
        errors["note"] = _("Beskrivelsen kan ha høyst 1000 tegn.")
    elif problem := disallowed_text_error(note):
        errors["note"] = problem
    if errors:
        raise ActionRefused(errors)
    # The weeks are walked only where there can be too many by one at most: typed years
    # apart, they would be hundreds of thousands (every weekday is there 54 times in 378 days).
    days = None
    if (last - first).days < 7 * (rental.MAX_DATES + 1):
        days = rental.dates_between(first, last, weekday)
        if not days:
            raise ActionRefused(_("Det er ingen slik ukedag mellom datoene."), field="last_date")
    if days is None or len(days) > rental.MAX_DATES:
        raise ActionRefused(
            _("Du kan søke om høyst %(count)s datoer i én forespørsel.")
            % {"count": rental.MAX_DATES},
            field="last_date",
        )
    return days


def preview_rental(
    resource: Resource,
    *,
    party: ActingParty,
    weekday: int,
    starts: time,
    ends: time,
    first: date,
    last: date,
    note: str = "",
    now: datetime | None = None,
) -> tuple[list[rental.DateCheck], str]:
    """Each date's state and the exemption, before anything is sent (the page shows them)."""
    days = _validate(resource, weekday, starts, ends, first, last, note)
    checks = rental.check_dates(
        resource, weekday=weekday, starts=starts, ends=ends, days=days, now=now or clock.now()
    )
    return checks, rental.exemption_for(resource, party)


def request_rental(
    resource: Resource,
    *,
    user: User,
    party: ActingParty,
    weekday: int,
    starts: time,
    ends: time,
    first: date,
    last: date,
    note: str = "",
    now: datetime | None = None,
) -> RentalRequest:
    """Send the request: the free dates are held (pending) until staff decide."""
    now = now or clock.now()
    checks, exemption = preview_rental(
        resource,
        party=party,
        weekday=weekday,
        starts=starts,
        ends=ends,
        first=first,
        last=last,
        note=note,
        now=now,
    )
    hours = rental.hours_of(starts, ends)
    with transaction.atomic():
        request = RentalRequest.objects.create(
            resource=resource,
            user=user,
            party_kind=party.kind,
            party_id=party.orgnr,
            party_name=party.name[:200],
            weekday=weekday,
            starts=starts,
            ends=ends,
            first_date=first,
            last_date=last,
            price_per_hour_ore=0 if exemption else resource.price_ore,
            hours=hours,
            exemption=exemption[:300],
            note=note.strip(),
        )
        held = 0
        for check in checks:
            state, reason = check.state, check.reason
            if check.free:
                if _hold_day(request, check, user, now):
                    held += 1
                else:  # taken by someone else since the check
                    state, reason = RentalDate.State.FULL, _("Lokalet er leid ut til andre da.")
            RentalDate.objects.create(request=request, date=check.day, state=state, reason=reason)
        if not held:
            raise ActionRefused(
                _("Ingen av datoene er ledige. Velg en annen ukedag, tid eller periode."),
                code="none_free",
            )
        request.total_ore = rental.price_per_date(request.price_per_hour_ore, starts, ends) * held
        request.save(update_fields=["total_ore"])
        audit.record(
            user,
            "booking.rental_requested",
            request,
            {"resource": resource.slug, "dates": held, "free_rent": bool(exemption)},
        )
    return request


def _hold_day(request: RentalRequest, check: rental.DateCheck, user: User, now: datetime) -> bool:
    try:
        with transaction.atomic():  # a savepoint: a date taken meanwhile undoes only itself
            for slot in check.slots:
                counter = capacity.take_place(request.resource, slot, now)
                Reservation.objects.create(
                    resource=request.resource,
                    slot=counter,
                    starts_at=slot.starts_at,
                    ends_at=slot.ends_at,
                    user=user,
                    status=Reservation.Status.PENDING,
                    confirmed_at=now,
                    email=user.email,
                    note=request.note,
                    rental=request,
                )
    except capacity.SlotFull:
        return False
    return True


def dates_held(request: RentalRequest) -> int:
    return request.dates.filter(state=RentalDate.State.FREE).count()


def decide_rental(
    request: RentalRequest, *, user: User, approve: bool, now: datetime | None = None
) -> RentalRequest:
    """Staff approve or reject the whole request; an approval raises the claim."""
    now = now or clock.now()
    status = RentalRequest.Status.APPROVED if approve else RentalRequest.Status.REJECTED
    with transaction.atomic():
        moved = RentalRequest.objects.filter(
            pk=request.pk, status=RentalRequest.Status.PENDING
        ).update(status=status, decided_at=now, decided_by=user)
        if not moved:
            raise ActionRefused(
                _("Forespørselen er allerede behandlet. Se den slik den er nå."), code="stale"
            )
        request.refresh_from_db()
        pending = Reservation.objects.filter(rental=request, status=Reservation.Status.PENDING)
        slot_ids = list(pending.values_list("slot_id", flat=True))
        pending.update(
            status=Reservation.Status.CONFIRMED if approve else Reservation.Status.REJECTED,
            sequence=F("sequence") + 1,
            updated_at=now,
            cancelled_at=None if approve else now,
        )
        if not approve:
            for slot_id in slot_ids:
                capacity.give_back(slot_id, now)
        if approve and request.total_ore > 0:
            raise_rental_claim(request, user=user)
        kind = "rental_approved" if approve else "rental_rejected"
        audit.record(user, f"booking.{kind}", request, {"total_ore": request.total_ore})
        record_event(
            f"booking.{kind}",
            subject=f"rentals/{request.pk}",
            source="booking",
            agency=request.resource.agency,
            data={"dates": len(slot_ids), "total_ore": request.total_ore},
        )
        first = Reservation.objects.filter(rental=request).order_by("starts_at").first()
        if first is not None:
            # One notice for the request (not one a date), with every date in its file.
            event = "booking.confirmed" if approve else "booking.cancelled"
            notices.notify_person(first, event, attachment=ics_mail.rental_attachment(request))
    return request


def booked_minutes(request: RentalRequest) -> dict[date, int]:
    """The minutes still booked on each date of an approved request, by date: a time
    staff cancelled before the approval is not charged for."""
    booked: dict[date, int] = {}
    times = Reservation.objects.filter(rental=request, status=Reservation.Status.CONFIRMED)
    for starts_at, ends_at in times.values_list("starts_at", "ends_at").order_by("starts_at"):
        day = starts_at.astimezone(timetable.OSLO).date()
        booked[day] = booked.get(day, 0) + int((ends_at - starts_at).total_seconds()) // 60
    return booked


def raise_rental_claim(request: RentalRequest, *, user: User) -> PaymentOrder | None:
    """One claim for the season on whom the request was made for, due before the first
    date (or in 14 days, whichever is sooner): the dates still booked, each at its price to
    the nearest øre. The request's total is set to the claim's, so that paying it is
    accepted (``services.paid``); None when nothing is left to pay for."""
    resource = request.resource
    booked = booked_minutes(request)
    by_length: dict[int, int] = {}
    for minutes in booked.values():
        by_length[minutes] = by_length.get(minutes, 0) + 1
    lines = [
        OrderLine(
            text=f"{resource.name_nb}, {_hours_text(minutes)} t × {count}",
            quantity=count,
            unit_price_ore=rental.price_for_minutes(request.price_per_hour_ore, minutes),
        )
        for minutes, count in sorted(by_length.items(), reverse=True)
    ]
    total = sum(line.quantity * line.unit_price_ore for line in lines)
    if total != request.total_ore:
        request.total_ore = total
        RentalRequest.objects.filter(pk=request.pk).update(total_ore=total)
    if total <= 0:
        return None
    first = min(booked)
    due = min(first - timedelta(days=1), timetable.today_local(clock.now()) + timedelta(days=14))
    party = ActingParty(request.party_kind, request.party_id, request.party_name)  # type: ignore[arg-type]
    if not party.is_organisation:
        from iktipet.accounts.parties import for_self

        party = for_self(request.user)
    return payments.create_order(
        payable=(KIND, str(request.pk)),
        agency=resource.agency,
        title=f"{resource.name_nb}, {len(booked)} datoer",
        lines=lines,
        user=request.user,
        party=party,
        due_date=due,
        reason="Godkjent leie",
        created_by=user,
    )


def _hours_text(minutes: int) -> str:
    """1 t 20 min as "1,33" (the order line's hours, as the request shows them)."""
    return f"{(Decimal(minutes) / 60).quantize(Decimal('0.01')).normalize():f}".replace(".", ",")


def withdraw_rental(
    request: RentalRequest, *, user: User, now: datetime | None = None
) -> RentalRequest:
    """The person withdraws their request before staff decide: every date is given back."""
    now = now or clock.now()
    with transaction.atomic():
        moved = RentalRequest.objects.filter(
            pk=request.pk, user=user, status=RentalRequest.Status.PENDING
        ).update(status=RentalRequest.Status.CANCELLED, decided_at=now)
        if not moved:
            raise ActionRefused(
                _("Forespørselen er allerede behandlet. Se den slik den er nå."), code="stale"
            )
        pending = Reservation.objects.filter(rental=request, status=Reservation.Status.PENDING)
        slot_ids = list(pending.values_list("slot_id", flat=True))
        pending.update(
            status=Reservation.Status.CANCELLED,
            sequence=F("sequence") + 1,
            updated_at=now,
            cancelled_at=now,
        )
        for slot_id in slot_ids:
            capacity.give_back(slot_id, now)
        audit.record(user, "booking.rental_withdrawn", request, {"dates": len(slot_ids)})
    request.refresh_from_db()
    return request
