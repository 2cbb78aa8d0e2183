"""The step page's content written in Python (``applications.step_html``): the same HTML as
``step.html``'s content block wrote, in bokmål and English, with every value from a
definition, an answer or a request escaped (issue 13)."""

from __future__ import annotations

import itertools
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from iktipet.applications.engine.form import ErrorItem
from iktipet.applications.step_html import step_content_html
from support.applications import open_elsewhere_link

HOSTILE = "<script>alert('x')</script> & \"quoted\""
BEFORE = Path(__file__).parent / "templates_before" / "step.html"
TOKEN = 'tok"en<&'
PATH = f"/soknad/x/steg/a/?fra=oppsummering&q={HOSTILE}"


def _old_content(context: dict[str, Any]) -> str:
    """The content block of the template as it was, rendered on its own."""
    source = BEFORE.read_text()
    start = source.index("{% block content %}") + len("{% block content %}")
    end = source.rindex("{% endblock %}")
    template = Template("{% load i18n fragments %}" + source[start:end])
    request = SimpleNamespace(get_full_path=lambda: PATH)
    return template.render(Context({**context, "request": request, "csrf_token": TOKEN}))


def _context(errors: bool, revealed: int, extras: bool, back: bool, summary: bool) -> dict:
    context: dict[str, Any] = {
        "title": f"Steg {HOSTILE}",
        "service_title": f"Tjeneste {HOSTILE}",
        "progress": f"Steg 1 av 2 {HOSTILE}",
        "fields_html": mark_safe('<div class="ds-field">felter</div>'),
        "live_url": f"/soknad/x/forhandsvis/a/?{HOSTILE}",
        "errors": [ErrorItem(f"f-{HOSTILE}", f"Feil {HOSTILE}")] * 2 if errors else [],
        "warnings": [],
        "warning_ids": [],
        "intro": "",
        "has_previous": back,
        "to_summary": summary,
        "revealed": [object()] * revealed,
        "revealed_names": f"«{HOSTILE}»" if revealed else "",
    }
    if extras:
        context.update(
            {
                "intro": f"Første linje {HOSTILE}\nAndre linje",
                "warnings": [f"Advarsel {HOSTILE}", "Nummer to"],
                "warning_ids": [f"w-{HOSTILE}", "w2"],
                "open_elsewhere": f"Du har en annen søknad {HOSTILE}",
                "open_elsewhere_links": [
                    open_elsewhere_link(1, True, HOSTILE),
                    open_elsewhere_link(2, False, HOSTILE),
                ],
            }
        )
    return context


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize(
    ("errors", "revealed", "extras", "back", "summary"),
    list(itertools.product([False, True], [0, 1, 2], [False, True], [False, True], [False, True])),
)
def test_the_content_is_the_templates_html(language, errors, revealed, extras, back, summary):
    with translation.override(language):
        context = _context(errors, revealed, extras, back, summary)
        old = _old_content(context)
        new = step_content_html(context, csrf_token=TOKEN, full_path=PATH)
    assert new == old
    assert "<script>" not in new and 'tok"' not in new


def test_no_token_writes_no_input():
    with translation.override("nb"):
        context = _context(False, 0, False, False, False)
        new = step_content_html(context, csrf_token=None, full_path="/")
    assert "csrfmiddlewaretoken" not in new
