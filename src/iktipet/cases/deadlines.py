"""Deadlines in Europe/Oslo: appeal (fvl. § 29–30), neighbour notice, offers, processing.

A deadline counted in days, weeks or months that ends on a Saturday, a Sunday or a public
holiday moves to the next working day (domstolloven § 149, which fvl. § 30 applies). A
deadline "at the end of day N" means 23:59:59 local time that day, so it is right across
the changes to and from summer time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from zoneinfo import ZoneInfo

import holidays

OSLO = ZoneInfo("Europe/Oslo")
APPEAL_WEEKS = 3
NEIGHBOUR_MIN_DAYS = 14


@functools.lru_cache(maxsize=16)
def _norwegian_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("NO", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _norwegian_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(OSLO).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 in Oslo on ``day``, as an aware datetime (its UTC offset follows DST)."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=OSLO)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def after(start: dt.datetime, *, months: int = 0, weeks: int = 0, days: int = 0) -> dt.date:
    """The last day of a period that starts at ``start``, moved to a working day."""
    day = add_months(local_date(start), months) + dt.timedelta(weeks=weeks, days=days)
    return next_working_day(day)


def appeal_deadline(delivered_at: dt.datetime) -> dt.date:
    """Three weeks from the day the decision reached the party (fvl. § 29)."""
    return after(delivered_at, weeks=APPEAL_WEEKS)


def neighbour_deadline(sent_at: dt.datetime, days: int = NEIGHBOUR_MIN_DAYS) -> dt.datetime:
    """Neighbours have at least 14 full days from sending (pbl. § 21-3): to the end of that
    day in Oslo, on a working day."""
    return end_of_day(after(sent_at, days=max(days, NEIGHBOUR_MIN_DAYS)))


def answer_deadline(start: dt.datetime, days: int) -> dt.datetime:
    """To the end of the day ``days`` days after ``start`` (offers, requests for information)."""
    return end_of_day(after(start, days=days))


def is_past(deadline: dt.datetime | dt.date | None, now: dt.datetime) -> bool:
    if deadline is None:
        return False
    if isinstance(deadline, dt.datetime):
        return now > deadline
    return local_date(now) > deadline
