"""Reading what a booking form posts: a slot is the UTC instant it starts at (ISO 8601),
and a week is paged by the date it starts on. Anything else is refused as no choice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta


def parse_slot(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        return None
    if moment.tzinfo is None:
        return None
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # a moment at the calendar's ends, only ever typed: no slot
        return None


def slot_value(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").replace("Z", "+00:00")


def week_start(value: str | None, today: date, *, last: date) -> date:
    """The first day of the page asked for, kept between today and the horizon."""
    try:
        asked = date.fromisoformat(value or "")
    except ValueError:
        asked = today
    return min(max(asked, today), max(today, last - timedelta(days=6)))
