"""The few functions Iktipet adds to standard CEL for service rules.

Every function returns null when an argument is null, so a rule over an unanswered field
stays "not applicable" instead of failing. Dates are CEL timestamps at midnight UTC.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any


def as_timestamp(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def birth_date_from_fnr(fnr: str) -> date | None:
    """Birth date in a fødselsnummer, D-number (day + 40), H-number or synthetic number
    (month + 40 in NAV Dolly, + 80 in Tenor). None if the digits make no date.

    Only the date is derived; checksums are the identifier validator's job.
    """
    if not isinstance(fnr, str) or len(fnr) != 11 or not fnr.isdigit():
        return None
    day, month, year2, individ = int(fnr[0:2]), int(fnr[2:4]), int(fnr[4:6]), int(fnr[6:9])
    if day > 40:
        day -= 40
    for offset in (80, 40):
        if month > offset:
            month -= offset
            break
    if individ < 500:
        century = 1900
    elif individ < 750 and year2 >= 54:
        century = 1800
    elif year2 < 40:
        century = 2000
    elif individ >= 900:
        century = 1900
    else:
        return None
    try:
        return date(century + year2, month, day)
    except ValueError:
        return None


def _birthdate(fnr: Any) -> datetime | None:
    born = birth_date_from_fnr(fnr) if fnr is not None else None
    return as_timestamp(born) if born else None


def _age(birth: Any, on: Any) -> int | None:
    """Whole years between two timestamps (age on a date)."""
    if not isinstance(birth, datetime) or not isinstance(on, datetime):
        return None
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def _date(year: Any, month: Any, day: Any) -> datetime | None:
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (year, month, day)):
        return None
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        return None
    day = min(max(day, 1), calendar.monthrange(year, month)[1])
    return datetime(year, month, day, tzinfo=UTC)


def _add_days(ts: Any, days: Any) -> datetime | None:
    if not isinstance(ts, datetime) or not isinstance(days, int) or isinstance(days, bool):
        return None
    try:
        return ts + timedelta(days=days)
    except OverflowError:
        return None


def _days_between(start: Any, end: Any) -> int | None:
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return None
    return (end.date() - start.date()).days


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "birthdate": _birthdate,
    "age": _age,
    "date": _date,
    "addDays": _add_days,
    "daysBetween": _days_between,
}

# Standard CEL functions the Rust core provides (anything else fails at check time).
STANDARD_FUNCTIONS = frozenset(
    {
        "size",
        "int",
        "uint",
        "double",
        "string",
        "bytes",
        "timestamp",
        "duration",
        "dyn",
        "type",
        "matches",
        "contains",
        "startsWith",
        "endsWith",
        "has",
        "getFullYear",
        "getMonth",
        "getDate",
        "getDayOfMonth",
        "getDayOfWeek",
        "getDayOfYear",
        "getHours",
        "getMinutes",
        "getSeconds",
        "getMilliseconds",
    }
)
