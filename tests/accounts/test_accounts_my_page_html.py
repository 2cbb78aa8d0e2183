"""Min side's frame and "Trenger svar fra deg" written in Python (``accounts.my_page_html``):
the same HTML as ``accounts/my_page.html``'s content block and ``_needs_answer.html`` wrote,
in bokmål and English, with every value a person, a register or another app gave escaped
(issue 13). The old templates are kept in ``templates_before/``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from iktipet.accounts.my_page import NeedsAnswer, PageParties, filter_value
from iktipet.accounts.my_page_html import needs_answer_html, page_html
from iktipet.accounts.parties import ActingParty

HOSTILE = "<script>alert('x')</script> & \"quoted\""
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;"
BEFORE = Path(__file__).parent / "templates_before"
ME = ActingParty("person", "1", HOSTILE)
FIRM = ActingParty("organisation", "310000019", f"{HOSTILE} AS")
OTHER = ActingParty("organisation", "310000027", "Annen & Co")
PATH = "/min-side/\"'<x>&æ"


def _content_block() -> str:
    """The old page's content block, to render without ``base.html``."""
    source = (BEFORE / "my_page.html").read_text()
    block = re.search(r"{% block content %}(.*){% endblock %}", source, re.S)
    assert block is not None
    return "{% load i18n static %}" + block.group(1)


def _person(name: str) -> Any:
    return SimpleNamespace(user=SimpleNamespace(get_full_name=lambda: name), pid_masked=HOSTILE)


def _page(party, parties, *, address, register_error, name=HOSTILE) -> tuple[str, str]:
    sections = [mark_safe("<section>one</section>\n"), mark_safe("")]
    choices = [(filter_value(p), p) for p in parties.all]
    context = {
        "request": SimpleNamespace(path=PATH),
        "party": party,
        "parties": parties,
        "filter_choices": choices,
        "sections": [{"html": html} for html in sections],
        "person": _person(name),
        "address": address,
        "register_error": register_error,
    }
    old = Template(_content_block()).render(Context(context))
    new = page_html(
        sections,
        path=PATH,
        party=party,
        parties=parties,
        choices=choices,
        person=_person(name),
        address=address,
        register_error=register_error,
    )
    return old, new


ADDRESS = SimpleNamespace(street=HOSTILE, postnummer="0150", poststed=f"{HOSTILE} Oslo")


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("chosen", ["", "meg", FIRM.id])
@pytest.mark.parametrize("acting", [ME, FIRM])
def test_the_page_with_organisations_is_the_templates_html(language, chosen, acting):
    everyone = (ME, FIRM, OTHER)
    shown = tuple(p for p in everyone if filter_value(p) == chosen) or everyone
    parties = PageParties(everyone, shown, chosen)
    with translation.override(language):
        old, new = _page(acting, parties, address=ADDRESS, register_error="")
    assert new == old
    assert "<script>" not in new and "<x>" not in new
    assert ESCAPED in new and 'name="part"' in new
    assert new.count(" selected") == 1


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize(
    ("address", "register_error", "name"),
    [(None, "", ""), (None, HOSTILE, HOSTILE), (ADDRESS, "", "Kari Nordmann")],
)
def test_one_party_and_the_register_is_the_templates_html(language, address, register_error, name):
    parties = PageParties((ME,), (ME,), "", register_error=f"register: {HOSTILE}")
    with translation.override(language):
        old, new = _page(ME, parties, address=address, register_error=register_error, name=name)
    assert new == old
    assert "<script>" not in new
    assert 'name="part"' not in new and 'data-color="warning"' in new


def _needs(show_party: bool, items: list[NeedsAnswer]) -> tuple[str, str]:
    old = Template((BEFORE / "needs_answer.html").read_text()).render(
        Context({"section": {"items": items}, "show_party": show_party})
    )
    return old, needs_answer_html(items, show_party)


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("show_party", [False, True])
def test_needs_answer_is_the_templates_html(settings, language, show_party):
    settings.TIME_ZONE = "Europe/Oslo"
    items = [
        NeedsAnswer(ME, HOSTILE, HOSTILE, '/x/?a=1&b="2"#svar', dt.date(2026, 3, 29)),
        # 23:30 UTC is the next day in Oslo: the deadline is shown in the current time zone.
        NeedsAnswer(
            FIRM, "Betal", HOSTILE, "/betal/", dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC)
        ),
        NeedsAnswer(ME, "Svar", "Uten frist", "/svar/"),
    ]
    with translation.override(language):
        old, new = _needs(show_party, items)
    assert new == old
    assert "<script>" not in new and ESCAPED in new
    assert "29.03.2026" in new or "03/29/2026" in new or "2026" in new


@pytest.mark.parametrize("language", ["nb", "en"])
def test_nothing_waits_is_the_templates_html(language):
    with translation.override(language):
        old, new = _needs(False, [])
    assert new == old
    assert "minside-list" not in new
