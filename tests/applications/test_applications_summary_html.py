"""The summary page's content written in Python (``applications.summary_html``): the same HTML
as ``summary.html``'s content block (with ``_pay_form.html`` and ``_fee_lines.html``) wrote,
in bokmål and English, every fee state, form and alert, with every value from a definition,
an answer or a request escaped (issue 13)."""

from __future__ import annotations

import itertools
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe

from iktipet.applications.summary_html import summary_content_html
from support.applications import open_elsewhere_link

HOSTILE = "<script>alert('x')</script> & \"quoted\""
BEFORE = Path(__file__).parent / "templates_before"
TOKEN = 'tok"en<&'
PAY_FORM = '{% include "applications/_pay_form.html" %}'
FEE_LINES = '{% include "applications/_fee_lines.html" with lines=fee_lines total=fee %}'


def _old_content(context: dict[str, Any]) -> str:
    """The content block of the template as it was, its two includes (as they were) inlined,
    rendered on its own."""
    source = (BEFORE / "summary.html").read_text()
    start = source.index("{% block content %}") + len("{% block content %}")
    end = source.rindex("{% endblock %}")
    content = source[start:end]
    assert PAY_FORM in content and FEE_LINES in content
    fee_lines = (BEFORE / "_fee_lines.html").read_text()
    content = content.replace(PAY_FORM, (BEFORE / "_pay_form.html").read_text())
    content = content.replace(
        FEE_LINES, "{% with lines=fee_lines total=fee %}" + fee_lines + "{% endwith %}"
    )
    template = Template("{% load i18n fragments %}" + content)
    return template.render(Context({**context, "csrf_token": TOKEN}))


#: The fee's states as the view sets them: (name, context).
FEES: list[tuple[str, dict[str, Any]]] = [
    ("unknown", {"fee_unknown": True}),
    ("free", {}),
    ("after decision", {"fee": f"1 250 kr {HOSTILE}", "fee_after_decision": True}),
    (
        "after decision, lines",
        {
            "fee": "1 250 kr",
            "fee_after_decision": True,
            "fee_lines": [
                {"text": f"Grunngebyr {HOSTILE}", "amount": "1 000 kr"},
                {"text": "Tillegg", "amount": f"250 kr {HOSTILE}"},
            ],
        },
    ),
    ("pay first, no provider", {"fee": "500 kr", "pay_first": True, "providers": []}),
    (
        "pay first, one provider",
        {"fee": "500 kr", "pay_first": True, "providers": [{"name": f"p{HOSTILE}", "label": "P"}]},
    ),
    (
        "pay first, two providers",
        {
            "fee": "500 kr",
            "pay_first": True,
            "providers": [
                {"name": "vipps", "label": f"Vipps {HOSTILE}"},
                {"name": f"kort{HOSTILE}", "label": "Kort"},
            ],
        },
    ),
    (
        "pay first, refused, the second chosen",
        {
            "fee": "500 kr",
            "pay_first": True,
            "providers": [
                {"name": "vipps", "label": "Vipps"},
                {"name": f"kort{HOSTILE}", "label": "Kort"},
            ],
            "pay_error": f"Avvist {HOSTILE}",
            "chosen_provider": f"kort{HOSTILE}",
        },
    ),
    (
        "pay first, refused, an unknown chosen",
        {
            "fee": "500 kr",
            "pay_first": True,
            "providers": [{"name": "vipps", "label": "Vipps"}, {"name": "kort", "label": "K"}],
            "pay_error": "Avvist",
            "chosen_provider": "ukjent",
            "fee_lines": [{"text": "Gebyr", "amount": "500 kr"}],
        },
    ),
]


def _context(changed: bool, incomplete: bool, stopped: bool, extras: bool, fee: dict) -> dict:
    context: dict[str, Any] = {
        "title": f"Se over {HOSTILE}",
        "application": SimpleNamespace(pk=uuid.UUID(int=7)),
        "definition": SimpleNamespace(title=f"Tjeneste {HOSTILE}"),
        "applicant_html": mark_safe('<div class="app-applicant">søker</div>'),
        "sections_html": mark_safe('<section class="app-summary-section">svar</section>'),
        "submit_url": f"/soknad/x/send-inn/?{HOSTILE}",
        "incomplete": [],
        "stopped": stopped,
        "warnings": [],
        "fee": "",
        "fee_unknown": False,
        "fee_description": "",
        "fee_lines": [],
        "fee_after_decision": False,
        "pay_first": False,
        "providers": [],
        "pay_error": "",
        "chosen_provider": "",
        "last_step_url": "",
        "version": f"v{HOSTILE}",
        "changed": changed,
        **fee,
    }
    if incomplete:
        context["incomplete"] = [
            {"title": f"Steg {HOSTILE}", "url": f"/a/?fra=oppsummering&{HOSTILE}", "problem": ""},
            {"title": "Booking", "url": "/b/", "problem": f"Holdet gikk ut {HOSTILE}"},
        ]
    if extras:
        context.update(
            {
                "warnings": [f"Advarsel {HOSTILE}", "Nummer to"],
                "open_elsewhere": f"Du har en annen søknad {HOSTILE}",
                "open_elsewhere_links": [
                    open_elsewhere_link(1, True, HOSTILE),
                    open_elsewhere_link(2, False, HOSTILE),
                ],
                "fee_description": f"Om gebyret {HOSTILE}",
                "last_step_url": f"/soknad/x/steg/s/?{HOSTILE}",
            }
        )
    return context


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize(("fee_name", "fee"), FEES, ids=[name for name, _fee in FEES])
@pytest.mark.parametrize(
    ("changed", "incomplete", "stopped", "extras"),
    list(itertools.product([False, True], repeat=4)),
)
def test_the_content_is_the_templates_html(
    language, fee_name, fee, changed, incomplete, stopped, extras
):
    with translation.override(language):
        context = _context(changed, incomplete, stopped, extras, fee)
        old = _old_content(context)
        new = summary_content_html(context, csrf_token=TOKEN)
    assert new == old
    assert "<script>" not in new and 'tok"' not in new


def test_no_token_writes_no_input():
    with translation.override("nb"):
        context = _context(False, False, False, False, {})
        new = summary_content_html(context, csrf_token=None)
    assert "<form" in new and "csrfmiddlewaretoken" not in new
