"""The staff case page's timeline written in Python (cases/staff_html.py, issue 13): the same
HTML, byte for byte, as the template loop it replaced (kept in templates_before/), every
value escaped."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe

from iktipet.cases.staff_html import timeline_html
from iktipet.cases.timeline import TimelineEntry
from iktipet.core.dates import format_date

BEFORE = Path(__file__).parent / "templates_before" / "staff_timeline.html"
OSLO = ZoneInfo("Europe/Oslo")
HOSTILE = "<script>alert(\"x\")</script> & 'q'"


def _events() -> list[TimelineEntry]:
    texts = ["Saken ble mottatt.", HOSTILE, mark_safe("Status: <em>Under behandling</em>")]
    notes = ["", "En linje", "Linje en\nLinje <to>\n\nAvsnitt", HOSTILE]
    actors = ["", "Sara Saksbehandler", "Systemet", HOSTILE]
    return [
        TimelineEntry(
            # Winter and summer time, with and without microseconds.
            dt.datetime(2026, 12 - n % 2 * 6, 7, n % 24, n % 60, n % 7, n % 3, tzinfo=dt.UTC),
            text,
            note,
            actor,
            internal,
        )
        for n, (text, note, actor, internal) in enumerate(
            itertools.product(texts, notes, actors, [False, True])
        )
    ]


def _as_the_view_gave_them(entries: list[TimelineEntry]) -> list[dict]:
    """What the view gave the template: each time in Oslo time, ISO and as the page shows it."""
    events = []
    for entry in entries:
        at = entry.at.astimezone(OSLO)
        events.append(
            {
                "iso": at.isoformat(),
                "when": format_date(at, "DATETIME_FORMAT"),
                "text": entry.text,
                "actor_label": entry.actor_label,
                "internal": entry.internal,
                "note": entry.note,
            }
        )
    return events


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_timeline_is_the_old_templates_html(language):
    template = engines["django"].from_string(BEFORE.read_text())
    events = _events()
    with translation.override(language):
        for chosen in (events, events[:1], []):
            old = template.render({"events": _as_the_view_gave_them(chosen)})
            assert "    " + timeline_html(chosen) + "\n" == old
    assert "Intern" in timeline_html(events[1:2]) or "Internal" in timeline_html(events[1:2])


def test_people_s_words_are_escaped_in_the_timeline():
    html = timeline_html(_events())
    assert "<script" not in html and "'q'" not in html
    assert "<em>Under behandling</em>" in html  # a text the code marked safe stays markup
    assert "Linje en<br>Linje &lt;to&gt;<br><br>Avsnitt" in html
