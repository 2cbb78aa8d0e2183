"""Leie av skolelokaler: who rents for free, and what a weekly recurring request finds on
each of its dates. Reads only; the request itself is :mod:`iktipet.booking.services.rental`.

The free-rent rule sits in the resource (``Resource.free_for``) and is matched against
Enhetsregisteret, looked up on the server for the organisation the person acts for: never
a box the person ticks. A child and youth organisation is typically a forening/lag
(organisasjonsform FLI) in idrett or interest work (næringskode 93.1xx, 94.9xx).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from iktipet.accounts.types import ActingParty
from iktipet.booking import selectors, timetable
from iktipet.booking.models import RentalDate, Resource, Slot
from iktipet.booking.services import rules
from iktipet.core.errors import ActionRefused
from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.organisations import organisation_register

State = RentalDate.State
#: At most a year of weeks in one request.
MAX_DATES = 53


def exemption_for(resource: Resource, party: ActingParty) -> str:
    """Why ``party`` rents ``resource`` for free (the register data that matched), or ""."""
    rule = resource.free_for or {}
    forms = [str(code) for code in rule.get("org_forms") or []]
    industries = [str(code) for code in rule.get("industry_codes") or []]
    if not party.is_organisation or not (forms or industries):
        return ""
    try:
        unit = organisation_register().get_unit(party.orgnr)
    except RegisterUnavailable:
        raise ActionRefused(
            _("Vi får ikke svar fra Enhetsregisteret nå. Prøv igjen om litt."), code="register"
        ) from None
    if unit is None or not unit.active:
        return ""
    if forms and unit.form_code not in forms:
        return ""
    if industries and not any(unit.industry_code.startswith(code) for code in industries):
        return ""
    return _("%(name)s er %(form)s med næringskode %(code)s (%(industry)s) i Enhetsregisteret.") % {
        "name": unit.name,
        "form": unit.form_description.lower() or unit.form_code,
        "code": unit.industry_code,
        "industry": unit.industry_description,
    }


@dataclass(frozen=True)
class DateCheck:
    day: date
    state: str  # a RentalDate.State
    reason: str
    slots: tuple[timetable.SlotTime, ...] = ()

    @property
    def free(self) -> bool:
        return self.state == State.FREE


def dates_between(first: date, last: date, weekday: int) -> list[date]:
    """Every ``weekday`` from ``first`` to ``last``. Stops at the calendar's end (9999-12-31)
    instead of stepping past it: the dates are typed, and a typed date must not be a 500."""
    offset = (weekday - first.weekday()) % 7
    if offset > (date.max - first).days:
        return []
    day = first + timedelta(days=offset)
    found = []
    while day <= last:
        found.append(day)
        if (date.max - day).days < 7:
            break
        day += timedelta(days=7)
    return found


def _minutes(starts: time, ends: time) -> int:
    return (ends.hour * 60 + ends.minute) - (starts.hour * 60 + starts.minute)


def hours_of(starts: time, ends: time) -> Decimal:
    return Decimal(_minutes(starts, ends)) / 60


def price_per_date(price_per_hour_ore: int, starts: time, ends: time) -> int:
    """One date's price in whole øre (half an øre up), from the minutes themselves.

    The request's total, the claim's line (this × dates) and what the form shows all come
    from here: the claim must be exactly the request's total, or its payment is refused
    (``services.paid``). ``RentalRequest.hours`` keeps two decimals (1,33 for 1 h 20 min),
    too few to price with.
    """
    return price_for_minutes(price_per_hour_ore, _minutes(starts, ends))


def price_for_minutes(price_per_hour_ore: int, minutes: int) -> int:
    """``minutes`` at ``price_per_hour_ore``, in whole øre (half an øre up)."""
    return (price_per_hour_ore * minutes * 2 + 60) // 120


def check_dates(
    resource: Resource, *, weekday: int, starts: time, ends: time, days: list[date], now: datetime
) -> list[DateCheck]:
    """Each date with what stands in its way: closed, a holiday, taken, or free."""
    closures = selectors.closures_between(resource, days[0], days[-1]) if days else {}
    checks = []
    for day in days:
        reason = selectors.closed_reason(resource, day, closures)
        if reason:
            holiday = day not in closures and bool(timetable.holiday_name(day))
            checks.append(DateCheck(day, State.HOLIDAY if holiday else State.CLOSED, reason))
            continue
        checks.append(_check_day(resource, day, starts, ends, now))
    return checks


def _check_day(resource: Resource, day: date, starts: time, ends: time, now: datetime) -> DateCheck:
    start = timetable.local_instant(day, starts)
    end = timetable.local_instant(day, ends)
    slots: list[timetable.SlotTime] = []
    moment = start
    while moment < end:
        try:
            slot = rules.bookable_slot(resource, moment, now)
        except ActionRefused as refused:
            return DateCheck(day, State.UNAVAILABLE, _outside(refused))
        slots.append(slot)
        moment = slot.ends_at
    if not slots or moment != end:
        return DateCheck(day, State.UNAVAILABLE, _("Utenfor åpningstiden."))
    taken = Slot.objects.filter(
        resource=resource, starts_at__in=[slot.starts_at for slot in slots]
    ).values_list("taken", "capacity")
    if any(used >= capacity for used, capacity in taken):
        return DateCheck(day, State.FULL, _("Lokalet er leid ut til andre da."))
    return DateCheck(day, State.FREE, "", tuple(slots))


def _outside(refused: ActionRefused) -> str:
    if refused.code == "no_slot":
        return _("Utenfor åpningstiden.")
    return refused.message
