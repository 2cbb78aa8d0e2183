"""The slot picker's context: a week of days at a time, each with its times (full ones
shown as full), paged by links — a plain list of radio buttons that needs no JavaScript."""

from __future__ import annotations

import bisect
import contextlib
import functools
import itertools
from datetime import date, datetime, timedelta
from typing import Any

from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from iktipet.booking import clock, selectors, timetable
from iktipet.booking.forms import slot_value, week_start
from iktipet.booking.timetable import OSLO

DAYS_PER_PAGE = 7


class _Tags(dict[tuple[bool, bool, int], str]):
    """The end of a time's HTML from its tag on (full, not bookable, the places left, or the
    person's own), made once per day built for each state: a day has ~24 times but only a
    few different tags, and only the tag's translated text needs escaping."""

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


class _Day:
    """A day's times as far as they are the same for whoever reads them, built once per
    process for one ``timetable.day_slots`` tuple (remembered per process itself, so the
    same day of the same rules is the same tuple on every page): the start of each radio's
    HTML (id, value), its label up to the tag, and the instants to look the state up by.
    Digits only: nothing to escape. A number of its own keys the day's pages, never
    ``id()``, which a new tuple may reuse once this one is gone."""

    __slots__ = ("number", "parts", "slots", "starts")

    def __init__(self, number: int, key: str, slots: tuple[timetable.SlotTime, ...]) -> None:
        self.number = number
        self.slots = slots  # held: while this is kept, no other tuple can have its id()
        self.starts = tuple(slot.starts_at for slot in slots)
        parts = []
        for index, slot in enumerate(slots, 1):
            local_start, local_end = slot.starts_at.astimezone(OSLO), slot.ends_at.astimezone(OSLO)
            id_ = f"slot-{key}-{index}"
            parts.append(
                (
                    '<li class="ds-field"><input class="ds-input" type="radio" name="slot"'
                    # The form posts the instant (forms.slot_value); the label is in Oslo time.
                    f' id="{id_}" value="{slot_value(slot.starts_at)}"',
                    f'> <label class="ds-label" for="{id_}">'
                    f"{local_start:%H:%M}–{local_end:%H:%M}"
                    ' <span class="ds-tag" data-color="',
                )
            )
        self.parts = tuple(parts)


#: The days' fixed parts by id() of their slots (checked against the tuple held), and the
#: days' HTML by what makes it (the day, the language, each time's places taken, how many
#: are too soon to book, the time chosen and the person's own). Bounded: oldest out first.
_DAYS: dict[int, _Day] = {}
_MAX_DAYS = 512
_PAGES: dict[tuple[Any, ...], str] = {}
_MAX_PAGES = 1024
_numbers = itertools.count()


def _remember(store: dict[Any, Any], limit: int, key: Any, value: Any) -> None:
    if len(store) >= limit:
        with contextlib.suppress(StopIteration, KeyError, RuntimeError):
            del store[next(iter(store))]  # another thread may have taken it first
    store[key] = value


def _day(key: str, slots: tuple[timetable.SlotTime, ...]) -> _Day:
    found = _DAYS.get(id(slots))
    if found is None or found.slots is not slots:
        found = _Day(next(_numbers), key, slots)
        _remember(_DAYS, _MAX_DAYS, id(slots), found)
    return found


def _times(
    day: timetable.Day,
    key: str,
    taken: dict[datetime, int],
    earliest: datetime,
    language: str,
    chosen: datetime | None,
    current: datetime | None,
) -> str:
    """A day's heading and times as HTML, built here rather than by a template loop or
    format_html per time (a week of a busy resource has ~170 of them), and kept: the same
    day in the same state (the places taken, the times too soon to book, the one chosen and
    the person's own) is the same HTML, so a page of it is a look-up of ~7 keys."""
    fixed = _day(key, day.slots)
    used = tuple(taken.get(starts, 0) for starts in fixed.starts) if taken else None
    too_soon = bisect.bisect_left(fixed.starts, earliest)
    marks = (
        fixed.starts.index(chosen) if chosen is not None and chosen in fixed.starts else -1,
        fixed.starts.index(current) if current is not None and current in fixed.starts else -1,
    )
    page_key = (fixed.number, language, used, too_soon, marks)
    found = _PAGES.get(page_key)
    if found is None:
        found = (
            f'<h2 class="ds-heading" data-size="xs" id="day-{key}">'
            f"{_heading(language, day.date)}</h2>\n"
            f'<ul class="ds-list--unstyled booking-times" aria-labelledby="day-{key}">\n'
            f"{_build(fixed, used, too_soon, marks)}\n</ul>"
        )
        _remember(_PAGES, _MAX_PAGES, page_key, found)
    return found


def _build(fixed: _Day, used: tuple[int, ...] | None, too_soon: int, marks: tuple[int, int]) -> str:
    tags = _Tags()
    chosen, current = marks
    parts = []
    for index, (slot, (head, label)) in enumerate(zip(fixed.slots, fixed.parts, strict=True)):
        mine = index == current
        free = slot.capacity - (used[index] if used else 0)
        bookable = index >= too_soon
        parts.append(
            head
            + (" checked" if index == chosen else "")
            + ("" if bookable and free > 0 and not mine else " disabled")
            + label
            + tags[(mine, bookable, free)]
        )
    return "\n".join(parts)  # the tag escaped; the rest digits


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
    resource: selectors.PickerSource,
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
    first, count = _shown(start, today, resource.horizon_days)
    read = selectors.week_reads(resource, first, first + timedelta(days=count - 1))
    return _context(resource, now, today, first, count, read, chosen, current)


#: How far ahead a week asked for is read with its resource before the resource's horizon
#: is known (``picker_page_context``); a later week asked for is read again once known.
_AHEAD_DAYS = 3660


def _shown(start: str | None, today: date, horizon_days: int) -> tuple[date, int]:
    """The first day shown and how many: the week asked for, kept within the horizon."""
    last = today + timedelta(days=horizon_days)
    first = week_start(start, today, last=last) if start else today  # none asked: today
    return first, min(DAYS_PER_PAGE, (last - first).days + 1)


def picker_page_context(
    slug: str, *, start: str | None, now: datetime | None = None
) -> tuple[selectors.PickerSource, dict[str, Any]]:
    """The resource and ``picker_context`` of it for the picker's page on a visit (nothing
    chosen, nothing being moved): the resource read with the week (``picker_week``), one
    statement. The week is read before the resource's horizon is known, from the day asked
    for; a page the horizon shortens keeps only its own days' closures, and a week asked for
    beyond the horizon (kept within it) is read again."""
    now = now or clock.now()
    today = timetable.today_local(now)
    guess = week_start(start, today, last=today + timedelta(days=_AHEAD_DAYS)) if start else today
    found = selectors.picker_week(slug, guess, guess + timedelta(days=DAYS_PER_PAGE - 1))
    if found is None:
        resource = selectors.resource_for_picker(slug)
        return resource, picker_context(resource, start=start, now=now)
    resource, (rules, closures, taken) = found
    first, count = _shown(start, today, resource.horizon_days)
    last = first + timedelta(days=count - 1)
    if first != guess:
        rules, closures, taken = selectors.week_reads(resource, first, last)
    elif count < DAYS_PER_PAGE:
        closures = {day: reason for day, reason in closures.items() if day <= last}
    return resource, _context(
        resource, now, today, first, count, (rules, closures, taken), None, None
    )


def _context(
    resource: selectors.PickerSource,
    now: datetime,
    today: date,
    first: date,
    count: int,
    read: selectors.Week,
    chosen: datetime | None,
    current: datetime | None,
) -> dict[str, Any]:
    rules, closures, taken = read
    last = today + timedelta(days=resource.horizon_days)
    days = selectors.calendar_days(resource, first, count, read=(rules, closures))
    earliest = now + timedelta(minutes=resource.min_notice_minutes)
    language = get_language() or ""
    shown = []
    for day in days:
        key = day.date.isoformat().replace("-", "")  # YYYYMMDD
        if day.slots and not day.closed_reason:
            shown.append(_times(day, key, taken, earliest, language, chosen, current))
            continue
        if day.closed_reason:
            # As {% blocktranslate %} does: the reason (staff's text) escaped, not the message.
            text = _("Stengt: %(reason)s") % {"reason": conditional_escape(day.closed_reason)}
        else:
            text = conditional_escape(_("Ingen tidspunkt denne dagen."))
        shown.append(
            f'<h2 class="ds-heading" data-size="xs" id="day-{key}">'
            f'{_heading(language, day.date)}</h2>\n<p class="ds-paragraph">{text}</p>'
        )
    previous = first - timedelta(days=DAYS_PER_PAGE)
    following = first + timedelta(days=DAYS_PER_PAGE)
    return {
        # The days as HTML (headings, closed days, times): a week's fieldset is the most of
        # the page, and the template's loop and filters per day cost more than building it.
        "days_html": SafeString("\n".join(shown)),  # escaped above
        "first": first,
        "last_shown": first + timedelta(days=count - 1),
        "legend": SafeString(_legend(language, first, first + timedelta(days=count - 1))),
        "previous": max(previous, today).isoformat() if first > today else "",
        "next": following.isoformat() if following <= last else "",
    }
