"""The staff case page's timeline written in Python (cases/staff_html.py, issue 13): the same
HTML, byte for byte, as the template loop it replaced (kept in templates_before/), every
value escaped."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe

from iktipet.cases.staff_html import timeline_html

BEFORE = Path(__file__).parent / "templates_before" / "staff_timeline.html"
HOSTILE = "<script>alert(\"x\")</script> & 'q'"


def _events() -> list[dict]:
    texts = ["Saken ble mottatt.", HOSTILE, mark_safe("Status: <em>Under behandling</em>")]
    notes = ["", "En linje", "Linje en\nLinje <to>\n\nAvsnitt", HOSTILE]
    actors = ["", "Sara Saksbehandler", "Systemet", HOSTILE]
    return [
        {
            "iso": f"2026-12-07T1{n % 10}:00:00+01:00",
            "when": f"7. desember 2026 1{n % 10}:00",
            "text": text,
            "actor_label": actor,
            "internal": internal,
            "note": note,
        }
        for n, (text, note, actor, internal) in enumerate(
            itertools.product(texts, notes, actors, [False, True])
        )
    ]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_timeline_is_the_old_templates_html(language):
    template = engines["django"].from_string(BEFORE.read_text())
    events = _events()
    with translation.override(language):
        for chosen in (events, events[:1], []):
            old = template.render({"events": chosen})
            assert "    " + timeline_html(chosen) + "\n" == old
    assert "Intern" in timeline_html(events[1:2]) or "Internal" in timeline_html(events[1:2])


def test_people_s_words_are_escaped_in_the_timeline():
    html = timeline_html(_events())
    assert "<script" not in html and "'q'" not in html
    assert "<em>Under behandling</em>" in html  # a text the code marked safe stays markup
    assert "Linje en<br>Linje &lt;to&gt;<br><br>Avsnitt" in html
