"""Min side's drafts and receipts written in Python (``applications.min_side_html``): the same
HTML as the section templates wrote, in bokmål and English, with every value a person or a
register gave escaped (issue 13)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from iktipet.accounts.parties import ActingParty
from iktipet.applications.min_side_html import drafts_html, receipts_html

HOSTILE = "<script>alert('x')</script> & \"quoted\""
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;"
BEFORE = Path(__file__).parent / "templates_before"
ME = ActingParty("person", "1", HOSTILE)
FIRM = ActingParty("organisation", "310000019", f"{HOSTILE} AS")
TOKEN = 'tok"en<&'
# Around midnight and a change of summer time: the Oslo date differs from UTC's.
SAVED = dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC)


def _old(name: str, mine: dict[str, Any], show_party: bool) -> str:
    """The template as it was, with the tag's result given instead of its tag."""
    source = (BEFORE / name).read_text()
    tag = "{% load i18n applications %}{% applications_for_min_side as mine %}"
    assert source.startswith(tag)
    source = "{% load i18n %}" + source[len(tag) :]
    context = {"mine": mine, "show_party": show_party, "csrf_token": TOKEN}
    return Template(source).render(Context(context))


def _application(index: int) -> SimpleNamespace:
    return SimpleNamespace(
        pk=uuid.UUID(int=index),
        title=f"{HOSTILE} {index}",
        reference=f"{HOSTILE}-{index}",
        updated_at=SAVED + dt.timedelta(days=index),
        expires=SAVED + dt.timedelta(days=90 + index),
        submitted_at=SAVED + dt.timedelta(hours=index),
    )


def _groups(count: int) -> list[dict[str, Any]]:
    items = [_application(index) for index in range(count)]
    groups = [{"party": ME, "items": items[:2]}, {"party": FIRM, "items": items[2:]}]
    return [group for group in groups if group["items"]]


@pytest.mark.parametrize(
    ("template", "key", "write"),
    [
        ("min_side_drafts.html", "drafts", lambda groups, show: drafts_html(groups, show, TOKEN)),
        ("min_side_receipts.html", "submitted", receipts_html),
    ],
)
@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("show_party", [False, True])
@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_sections_are_the_templates_html(template, key, write, language, show_party, count):
    with translation.override(language):
        groups = _groups(count)
        old = _old(template, {key: groups}, show_party)
        new = write(groups, show_party)
    assert new == old
    assert "<script>" not in new and 'tok"' not in new
    if count:
        assert ESCAPED in new


def test_the_page_writes_the_sections_html_as_it_is(kari_client):
    """Min side writes the sections' HTML without their templates: each once, in place."""
    page = kari_client.get("/min-side/").content.decode()
    assert page.count('id="min-side-drafts"') == 1
    assert page.count('id="min-side-receipts"') == 1
    assert page.index('id="min-side-drafts"') < page.index('id="min-side-receipts"')
