"""Min side's cases and threads written in Python (``cases.min_side_html``): the same HTML as
the section templates wrote, in bokmål and English, with every value a person, a case worker
or a register gave escaped (issue 13)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from iktipet.accounts.parties import ActingParty
from iktipet.cases.min_side_html import case_rows, cases_html, messages_html, thread_rows
from iktipet.cases.my_page import CaseRow, _thread_line
from iktipet.cases.workflow import get_workflow

HOSTILE = "<script>alert('x')</script> & \"quoted\""
BEFORE = Path(__file__).parent / "templates_before"
ME = ActingParty("person", "1", HOSTILE)
FIRM = ActingParty("organisation", "310000019", f"{HOSTILE} AS")


def _case(index: int, *, unread: int, notice: str, party: ActingParty) -> CaseRow:
    workflow = get_workflow("standard")
    return CaseRow(
        pk=index,
        title=f"{HOSTILE} {index}",
        reference=f"2026/{index:06d}",
        agency_name=HOSTILE,
        workflow=workflow,
        status=["received", "under_review", "decided"][index % 3],
        is_open=index % 3 != 2,
        party_kind=party.kind,
        party_identifier=party.orgnr,
        received_at=dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC),
        decided_at=None,
        waiting_until=None,
        thread_id=index,
        url=f'/min-side/saker/{index}/?"><x',
        unread=unread,
        decision_notice=notice,
        line=f"line {index} <b>safe already</b>",
    )


def _render(source: str, context: dict[str, Any]) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("show_party", [False, True])
def test_the_cases_are_the_templates_html(language, show_party):
    cases = [
        _case(1, unread=0, notice="", party=ME),
        _case(2, unread=1, notice=HOSTILE, party=ME),
        _case(3, unread=4, notice="", party=FIRM),
    ]
    with translation.override(language):
        groups = [{"party": ME, "items": cases[:2]}, {"party": FIRM, "items": cases[2:]}]
        old = _render(
            (BEFORE / "min_side_cases.html").read_text(),
            {
                "section": {"groups": groups, "more": True, "limit": 50},
                "show_party": show_party,
            },
        )
        for group in groups:
            group["html"] = case_rows(group["items"])
        new = cases_html(groups, True, 50, show_party)
    assert new == old
    assert "<script>" not in new and '"><x' not in new
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in new


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("more", [False, True])
def test_no_cases_is_the_templates_html(language, more):
    with translation.override(language):
        section = {"groups": [], "more": more, "limit": 50}
        old = _render((BEFORE / "min_side_cases.html").read_text(), {"section": section})
        new = cases_html([], more, 50, False)
    assert new == old
    assert "minside-group" not in new


@pytest.mark.parametrize("language", ["nb", "en"])
def test_no_threads_is_the_templates_html(language):
    with translation.override(language):
        section = {"threads": [], "unread": 0}
        old = _render((BEFORE / "min_side_messages.html").read_text(), {"section": section})
        new = messages_html(thread_rows([], False), 0)
    assert new == old
    assert "minside-list" not in new


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("show_party", [False, True])
def test_the_threads_are_the_templates_html(language, show_party):
    latest = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)
    with translation.override(language):
        threads = []
        for index, (unread, party) in enumerate([(0, ME), (1, FIRM), (3, ME)]):
            case = _case(index, unread=unread, notice="", party=party)
            stats = {"count": index + 1, "latest": latest, "unread": unread}
            threads.append(
                {"case": case, "party": party, **stats, "line": _thread_line(case, stats)}
            )
        section = {"threads": threads, "unread": 4}
        old = _render(
            (BEFORE / "min_side_messages.html").read_text(),
            {
                "section": section,
                "show_party": show_party,
            },
        )
        new = messages_html(thread_rows(threads, show_party), 4)
    assert new == old
    assert "<script>" not in new and '"><x' not in new
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in new
