"""Which slots a resource has on a day: opening rules, seasons, closures and Norwegian
public holidays, computed in Europe/Oslo and returned as UTC instants.

A slot is a span of real time. Opening and closing are local wall-clock times turned into
instants on that date; the slots step from one to the other in real minutes. So on the last
Sunday of March a desk open 00:00–06:00 has five one-hour slots (02:00 does not exist) and
on the last Sunday of October seven (02:00 happens twice, at two different instants): no
slot is lost, none is doubled and none shifted, whatever the hour of the change.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

OSLO = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class SlotTime:
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    capacity: int

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(OSLO)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(OSLO)


@dataclass(frozen=True)
class Day:
    date: date
    slots: tuple[SlotTime, ...]
    closed_reason: str = ""  # a holiday's or a closure's name; "" when open or no rule


@functools.cache
def _norwegian_holidays(year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays("NO", years=year, language=language))


def holiday_name(day: date) -> str:
    """The public holiday on ``day`` in the active language, or ""; Sundays not included."""
    from django.utils.translation import get_language

    language = "en_US" if (get_language() or "nb").startswith("en") else "no"
    return _norwegian_holidays(day.year, language).get(day, "")


def local_instant(day: date, moment: time) -> datetime:
    """``moment`` on ``day`` in Oslo as a UTC instant. A wall time that does not exist (in
    the spring gap) is read with the offset before the change, as zoneinfo does with fold 0,
    i.e. one hour later in summer time; 00:00 as a closing time is the next midnight."""
    return datetime.combine(day, moment, tzinfo=OSLO).astimezone(UTC)


def slots_for_rules(
    day: date,
    rules: Iterable[tuple[time, time, int]],
    *,
    slot_minutes: int,
    buffer_minutes: int,
) -> list[SlotTime]:
    """The slots of ``(opens, closes, capacity)`` windows on ``day``, in order."""
    length, step = timedelta(minutes=slot_minutes), timedelta(minutes=slot_minutes + buffer_minutes)
    found: dict[datetime, SlotTime] = {}
    for opens, closes, capacity in rules:
        start = local_instant(day, opens)
        end = (
            local_instant(day + timedelta(days=1), time(0))
            if closes == time(0)
            else local_instant(day, closes)
        )
        moment = start
        while moment + length <= end:
            # Two overlapping rules give one slot, with the larger capacity.
            if moment not in found or found[moment].capacity < capacity:
                found[moment] = SlotTime(moment, moment + length, capacity)
            moment += step
    return [found[key] for key in sorted(found)]


@functools.lru_cache(maxsize=1024)
def day_slots(
    day: date,
    windows: tuple[tuple[time, time, int], ...],
    *,
    slot_minutes: int,
    buffer_minutes: int,
) -> tuple[SlotTime, ...]:
    """``slots_for_rules`` remembered per process: the slots follow from these values alone,
    and every picker page and hold computes the same days again (a week of 24 times a day
    is ~170 slots, each with its instants in Oslo)."""
    return tuple(
        slots_for_rules(day, windows, slot_minutes=slot_minutes, buffer_minutes=buffer_minutes)
    )


def closed_reason(
    day: date,
    *,
    closures: dict[date, str],
    closed_on_sundays: bool,
    closed_on_holidays: bool,
) -> str:
    from django.utils.translation import gettext as _

    if day in closures:
        return closures[day]
    if closed_on_holidays and (name := holiday_name(day)):
        return name
    if closed_on_sundays and day.weekday() == 6:
        return _("Søndag")
    return ""


def today_local(now: datetime) -> date:
    return now.astimezone(OSLO).date()
