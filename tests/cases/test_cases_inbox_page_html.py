"""The inbox's content written in Python (cases/inbox_html.py inbox_content_html, issue 13):
the same HTML, byte for byte, as the template it replaced (kept in templates_before/inbox.html),
over the pages a case worker reaches (tabs, filters, search, an error, pages, two agencies) in
Norwegian and English, and over contexts with markup, quotes and ampersands in every value."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from iktipet.accounts.testing import sign_in_staff
from iktipet.cases.inbox_html import inbox_content_html
from iktipet.cases.models import Case
from support.cases import submitted_case

BEFORE = Path(__file__).parent / "templates_before" / "inbox.html"
HOSTILE = "<script>alert(\"x\")</script> & 'q'"
URL = reverse("casework:inbox")
#: Each render masks the CSRF secret anew (the header's logout form).
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _old_content() -> Any:
    """The old template's content block alone, with the libraries it loaded."""
    source = BEFORE.read_text()
    content = source[source.index("{% block content %}") + len("{% block content %}") :]
    content = content[: content.rindex("{% endblock %}")]
    return engines["django"].from_string("{% load fragments i18n static tz %}" + content)


def _old_page() -> Any:
    return engines["django"].from_string(BEFORE.read_text())


def _context(response: Any) -> dict[str, Any]:
    """The context ``inbox_view`` rendered its page with."""
    first = response.context[0] if isinstance(response.context, list) else response.context
    return first if isinstance(first, dict) else first.flatten()


def _same(context: dict[str, Any]) -> None:
    assert inbox_content_html(context) == _old_content().render(context)


@pytest.fixture
def worker(client, agencies):
    return sign_in_staff(client, [("naeringsetaten", "case_worker")])


def _queries(cases: list[Case]) -> list[dict[str, str]]:
    return [
        {},
        {"visning": "alle"},
        {"visning": "ufordelt"},
        {"visning": "mine"},
        {"visning": "alle", "tjeneste": "testsak", "status": cases[0].status},
        {"visning": "alle", "forfalt": "1", "lukkede": "1"},
        {"visning": "alle", "lukkede": "1", "sok": HOSTILE},
        {"visning": "alle", "sok": "Kari"},
        {"visning": "alle", "sok": cases[0].reference},
        {"visning": "alle", "sok": "a\x01b"},  # an error on the field, 400
        {"visning": "alle", "status": "<ukjent>", "tjeneste": "&"},  # ignored
        {"visning": "alle", "etter": "garbage"},
        {"virksomhet": "utdanningsetaten", "visning": "alle"},  # not theirs: ignored
    ]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_inbox_is_the_old_templates_html(client, worker, language, settings):
    cases = [submitted_case(publish_service=n == 0) for n in range(3)]
    Case.objects.filter(pk=cases[1].pk).update(assignee=worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = 0
    for query in _queries(cases):
        response = client.get(URL, query)
        assert response.status_code == (400 if "sok" in query and "\x01" in query["sok"] else 200)
        context = _context(response)
        request = response.wsgi_request
        with translation.override(language):
            _same(context)
            # The whole page too: the new template's include is the old content block.
            old = _old_page().render(context, request)
            new = render_to_string("cases/staff/inbox.html", context, request)
        assert CSRF.sub("", new) == CSRF.sub("", old)
        assert CSRF.sub("", response.content.decode()) == CSRF.sub("", old)
        pages += 1
    assert pages == 13


def test_the_pager_and_two_agencies_are_the_old_templates_html(client, agencies, monkeypatch):
    from iktipet.cases import inbox

    monkeypatch.setitem(inbox.inbox_page.__kwdefaults__, "limit", 1)  # a case a page
    sign_in_staff(client, [("naeringsetaten", "case_worker"), ("utdanningsetaten", "case_worker")])
    submitted_case("bhg", workflow="barnehage")
    for n in range(3):
        submitted_case(publish_service=n == 0)
    seen = set()
    url = URL + "?visning=alle&virksomhet=naeringsetaten"
    while url:
        response = client.get(url)
        context = _context(response)
        _same(context)
        seen.add((bool(context["first_url"]), bool(context["previous_url"])))
        found = re.search(r'href="([^"]+)" rel="next"', response.content.decode())
        url = URL + found.group(1).replace("&amp;", "&") if found else ""
    previous = re.search(r'href="([^"]+)" rel="prev"', response.content.decode())
    assert previous
    _same(_context(client.get(URL + previous.group(1).replace("&amp;", "&"))))
    assert seen == {(False, False), (True, True)}
    assert len(_context(response)["agencies"]) == 2


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_value_is_escaped_as_the_template_escaped_it(client, worker, language):
    submitted_case()
    context = _context(client.get(URL, {"visning": "alle"}))
    hostile_agency = SimpleNamespace(pk=1, slug=HOSTILE, name=HOSTILE)
    other = SimpleNamespace(pk=2, slug="a&b", name="<b>B</b>")
    variants = [
        {"agency": hostile_agency, "agencies": [hostile_agency]},
        {"agency": hostile_agency, "agencies": [other, hostile_agency]},
        {"agency": other, "agencies": [other, hostile_agency]},
        {
            "services": [{"id": HOSTILE, "title": HOSTILE}, {"id": "x", "title": "Y & Z"}],
            "statuses": [(HOSTILE, HOSTILE), ("a", "<i>b</i>")],
            "filters": {**context["filters"], "tjeneste": HOSTILE, "status": HOSTILE},
        },
        {"filters": {**context["filters"], "sok": HOSTILE, "visning": HOSTILE}},
        {"search_error": HOSTILE, "filters": {**context["filters"], "sok": HOSTILE}},
        {"tabs": [{"url": f"?{HOSTILE}", "label": HOSTILE, "current": c} for c in (1, 0)]},
        {"first_url": f"?a=1&{HOSTILE}", "previous_url": "", "next_url": ""},
        {"first_url": "", "previous_url": f"?b={HOSTILE}", "next_url": "?c=1&d=2"},
        {"first_url": "", "previous_url": "", "next_url": f"?{HOSTILE}"},
        {"rows": [], "rows_html": ""},
        {"filters": {**context["filters"], "forfalt": "1", "lukkede": "1"}},
    ]
    with translation.override(language):
        for variant in variants:
            _same({**context, **variant})
    html = inbox_content_html({**context, **variants[5]})
    assert "<script" not in html and "'q'" not in html
