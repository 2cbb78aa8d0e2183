"""The slot picker's context: a week of days at a time, each with its times (full ones
shown as full), paged by links — a plain list of radio buttons that needs no JavaScript."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from iktipet.booking import clock, selectors, timetable
from iktipet.booking.forms import slot_value, week_start
from iktipet.booking.models import Resource

DAYS_PER_PAGE = 7


def picker_context(
    resource: Resource,
    *,
    start: str | None,
    chosen: datetime | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or clock.now()
    today = timetable.today_local(now)
    last = today + timedelta(days=resource.horizon_days)
    first = week_start(start, today, last=last)
    count = min(DAYS_PER_PAGE, (last - first).days + 1)
    days = []
    for day in selectors.availability(resource, first, count, now=now):
        days.append(
            {
                "date": day.date,
                "closed_reason": day.closed_reason,
                "slots": [
                    {
                        "value": slot_value(item.slot.starts_at),
                        "start": item.slot.local_start,
                        "end": item.slot.local_end,
                        "free": item.free,
                        "full": item.full,
                        "bookable": item.bookable and not item.full,
                        "past": not item.bookable,
                        "chosen": chosen is not None and item.slot.starts_at == chosen,
                    }
                    for item in day.slots
                ],
            }
        )
    previous = first - timedelta(days=DAYS_PER_PAGE)
    following = first + timedelta(days=DAYS_PER_PAGE)
    return {
        "days": days,
        "first": first,
        "last_shown": first + timedelta(days=count - 1),
        "previous": max(previous, today).isoformat() if first > today else "",
        "next": following.isoformat() if following <= last else "",
    }
