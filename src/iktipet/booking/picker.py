"""The slot picker's context: a week of days at a time, each with its times (full ones
shown as full), paged by links — a plain list of radio buttons that needs no JavaScript."""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from typing import Any

from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from iktipet.booking import clock, selectors, timetable
from iktipet.booking.forms import slot_value, week_start
from iktipet.booking.models import Resource
from iktipet.booking.timetable import OSLO

DAYS_PER_PAGE = 7


class _Tags(dict[tuple[bool, bool, int], str]):
    """The end of a time's HTML from its tag on (full, not bookable, the places left, or the
    person's own), made once per page for each state: a week has ~170 times but only a few
    different tags, and only the tag's translated text needs escaping."""

    def __missing__(self, key: tuple[bool, bool, int]) -> str:
        mine, bookable, free = key
        if mine:
            colour, text = "info", _("Din time")
        elif free <= 0:
            colour, text = "danger", _("Fullt")
        elif not bookable:
            colour, text = "neutral", _("Kan ikke bestilles")
        else:
            colour = "warning" if free == 1 else "success"
            text = ngettext("%(free)s ledig plass", "%(free)s ledige plasser", free) % {
                "free": free
            }
        self[key] = found = f'{colour}">{conditional_escape(text)}</span></label></li>'
        return found


@functools.lru_cache(maxsize=512)
def _static_times(
    key: str, spans: tuple[tuple[datetime, datetime], ...]
) -> tuple[tuple[str, str], ...]:
    """What a day's times show whoever reads them, built once per process: the start of
    each radio's HTML (id, value) and its label up to the tag. Digits only: nothing to
    escape. The radio's state and the tag are added per page (``_times``)."""
    found = []
    for index, (starts, ends) in enumerate(spans, 1):
        local_start, local_end = starts.astimezone(OSLO), ends.astimezone(OSLO)
        id_ = f"slot-{key}-{index}"
        found.append(
            (
                '<li class="ds-field"><input class="ds-input" type="radio" name="slot"'
                # The form posts the instant (forms.slot_value); the label is in Oslo time.
                f' id="{id_}" value="{slot_value(starts)}"',
                f'> <label class="ds-label" for="{id_}">'
                f"{local_start:%H:%M}–{local_end:%H:%M}"
                ' <span class="ds-tag" data-color="',
            )
        )
    return tuple(found)


def _times(
    day: timetable.Day,
    key: str,
    taken: dict[datetime, int],
    earliest: datetime,
    tags: _Tags,
    chosen: datetime | None,
    current: datetime | None,
) -> SafeString:
    """A day's times as HTML, built here rather than by a template loop or format_html per
    time: a week of a busy resource has ~170 of them, and rendering and escaping each part
    of each time was most of the page's CPU (bench_pages: 7 ms a page)."""
    static = _static_times(key, tuple((slot.starts_at, slot.ends_at) for slot in day.slots))
    parts = []
    for slot, (head, label) in zip(day.slots, static, strict=True):
        starts = slot.starts_at
        mine = starts == current
        free = slot.capacity - taken.get(starts, 0)
        bookable = starts >= earliest
        parts.append(
            head
            + (" checked" if starts == chosen else "")
            + ("" if bookable and free > 0 and not mine else " disabled")
            + label
            + tags[(mine, bookable, free)]
        )
    return mark_safe("\n".join(parts))  # noqa: S308 (the tag escaped; the rest digits)


@functools.lru_cache(maxsize=256)
def _legend(language: str, first: date, last: date) -> str:
    """The fieldset's legend in ``language``: the days shown. As {% blocktranslate %} makes
    it: the dates escaped, the message not."""
    return _("Ledige tidspunkt %(first)s–%(last)s") % {
        "first": conditional_escape(date_format(first, "j. F")),
        "last": conditional_escape(date_format(last, "j. F Y")),
    }


@functools.lru_cache(maxsize=512)
def _heading(language: str, day: date) -> str:
    """A day's heading in ``language`` (the active one), as ``{{ day|date:"l j. F" }}``."""
    return conditional_escape(date_format(day, "l j. F"))


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
    days = selectors.calendar_days(resource, first, count)
    taken = selectors.taken_on(resource, days)
    earliest = now + timedelta(minutes=resource.min_notice_minutes)
    tags = _Tags()
    language = get_language() or ""
    shown = []
    for day in days:
        key = f"{day.date.year:04d}{day.date.month:02d}{day.date.day:02d}"
        if day.closed_reason:
            # As {% blocktranslate %} does: the reason (staff's text) escaped, not the message.
            text = _("Stengt: %(reason)s") % {"reason": conditional_escape(day.closed_reason)}
            body = f'<p class="ds-paragraph">{text}</p>'
        elif not day.slots:
            none = conditional_escape(_("Ingen tidspunkt denne dagen."))
            body = f'<p class="ds-paragraph">{none}</p>'
        else:
            times = _times(day, key, taken, earliest, tags, chosen, current)
            body = (
                f'<ul class="ds-list--unstyled booking-times" aria-labelledby="day-{key}">\n'
                f"{times}\n</ul>"
            )
        shown.append(
            f'<h2 class="ds-heading" data-size="xs" id="day-{key}">'
            f"{_heading(language, day.date)}</h2>\n{body}"
        )
    previous = first - timedelta(days=DAYS_PER_PAGE)
    following = first + timedelta(days=DAYS_PER_PAGE)
    return {
        # The days as HTML (headings, closed days, times): a week's fieldset is the most of
        # the page, and the template's loop and filters per day cost more than building it.
        "days_html": mark_safe("\n".join(shown)),  # noqa: S308 (escaped above)
        "first": first,
        "last_shown": first + timedelta(days=count - 1),
        "legend": mark_safe(_legend(language, first, first + timedelta(days=count - 1))),  # noqa: S308
        "previous": max(previous, today).isoformat() if first > today else "",
        "next": following.isoformat() if following <= last else "",
    }
