"""The slot picker's context: a week of days at a time, each with its times (full ones
shown as full), paged by links — a plain list of radio buttons that needs no JavaScript."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iktipet.booking import clock, selectors, timetable
from iktipet.booking.forms import slot_value, week_start
from iktipet.booking.models import Resource

DAYS_PER_PAGE = 7


_TIME = (
    '<li class="ds-field"><input class="ds-input" type="radio" name="slot" id="{0}" value="{1}"'
    '{2}{3}> <label class="ds-label" for="{0}">{4} <span class="ds-tag" data-color="{5}">{6}</span>'
    "</label></li>"
)
_CHECKED = mark_safe(" checked")
_DISABLED = mark_safe(" disabled")


def _tag(item: selectors.Availability) -> tuple[str, str]:
    """The colour and text of a time's tag: full, not bookable, or the places left."""
    if item.full:
        return "danger", _("Fullt")
    if not item.bookable:
        return "neutral", _("Kan ikke bestilles")
    text = ngettext("%(free)s ledig plass", "%(free)s ledige plasser", item.free)
    return ("warning" if item.free == 1 else "success"), text % {"free": item.free}


def picker_context(
    resource: Resource,
    *,
    start: str | None,
    chosen: datetime | None = None,
    current: datetime | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """``chosen`` is checked (a refused choice kept); ``current`` is the time being moved
    from, shown as the person's own and not offered."""
    now = now or clock.now()
    today = timetable.today_local(now)
    last = today + timedelta(days=resource.horizon_days)
    first = week_start(start, today, last=last)
    count = min(DAYS_PER_PAGE, (last - first).days + 1)
    # The times are rendered here with format_html, once per slot, not by a template loop:
    # a week of a busy resource has hundreds of times, and the loop with its filters cost
    # ~0.7 ms per time (measured with bench/bench_booking.py), the most of the page.
    days = []
    for day in selectors.availability(resource, first, count, now=now):
        key = day.date.strftime("%Y%m%d")
        rows = (
            (
                f"slot-{key}-{index}",
                slot_value(item.slot.starts_at),
                _CHECKED if chosen is not None and item.slot.starts_at == chosen else "",
                "" if item.bookable and not item.full and not mine else _DISABLED,
                f"{item.slot.local_start:%H:%M}–{item.slot.local_end:%H:%M}",
                *(("info", _("Din time")) if mine else _tag(item)),
            )
            for index, item in enumerate(day.slots, 1)
            for mine in (current is not None and item.slot.starts_at == current,)
        )
        days.append(
            {
                "id": f"day-{key}",
                "date": day.date,
                "closed_reason": day.closed_reason,
                "times": format_html_join("\n", _TIME, rows) if day.slots else "",
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
