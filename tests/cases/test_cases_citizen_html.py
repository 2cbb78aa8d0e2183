"""The applicant's case page's timeline written in Python (``cases.citizen_html``): the same
HTML as the template wrote, in bokmål and English, every value a person or case worker typed
escaped (issue 13)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from iktipet.cases.citizen_html import oslo_text, timeline_html
from iktipet.cases.timeline import TimelineEntry

HOSTILE = "<script>alert('x')</script> & \"quoted\" <b>bold</b>"

#: The template's timeline as it was before the entries were written in Python.
OLD = (Path(__file__).parent / "templates_before" / "timeline.html").read_text()


def _new_template() -> Template:
    """The same part of ``cases/citizen/case.html`` with the entries written in Python (the
    page kept in ``templates_before/citizen_case``, whose whole content is now written in
    Python too: ``test_cases_citizen_page_html.py``)."""
    source = (
        Path(__file__).parent
        / "templates_before"
        / "citizen_case"
        / "cases"
        / "citizen"
        / "case.html"
    ).read_text()
    start = source.index("  {% if timeline %}")
    end = source.index("{% else %}", start)
    return Template("{% load i18n %}" + source[start:end] + "{% endif %}")


def _entries(count: int) -> list[TimelineEntry]:
    start = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)  # across the switch to summer time
    return [
        TimelineEntry(
            at=start + dt.timedelta(hours=index * 7),
            text=f"{HOSTILE} {index}",
            note=f"{HOSTILE}\nline two\n\nthree" if index % 2 else "",
        )
        for index in range(count)
    ]


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("count", [1, 5, 6, 8])
def test_the_timeline_is_the_templates_html(language, count):
    entries = _entries(count)
    with translation.override(language):
        old = Template(OLD).render(Context({"timeline": entries}))
        new = _new_template().render(Context({"timeline": timeline_html(entries)}))
    assert new == old
    assert "<script>" not in new and "<b>" not in new
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in new
    assert ("<br>line two<br><br>three" in new) == (count > 1)


def test_times_are_shown_in_oslo_time_in_the_active_language():
    moment = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    with translation.override("nb"):
        assert oslo_text(moment, "DATETIME_FORMAT") == "1. januar 2027 00:30"
        assert oslo_text(moment, "SHORT_DATE_FORMAT") == "01.01.2027"
    with translation.override("en"):
        assert oslo_text(moment, "DATETIME_FORMAT") == "1 January 2027, 00:30"
        assert oslo_text(moment, "SHORT_DATE_FORMAT") == "01/01/2027"
