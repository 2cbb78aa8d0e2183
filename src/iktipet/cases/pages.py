"""The applicant's case page, the staff case page and the inbox as whole pages
(``core.python_pages``: ``render()`` finds them by their old template's name). The views
make the content (``citizen_html``, ``staff_page_html``, ``inbox_html``); here it is put in
the frame every page shares (``accounts.chrome``)."""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import SafeString

from iktipet.accounts import chrome
from iktipet.core.html import esc
from iktipet.core.per_language import per_language

OSLO = "Europe/Oslo"


@per_language
def _heads() -> dict[str, str]:
    cases = f'<link rel="stylesheet" href="{static("cases/cases.css")}">'
    return {
        "citizen": f'<link rel="stylesheet" href="{static("messaging/print.css")}">{cases}',
        "staff": cases,
    }


def _case_page(
    context: dict[str, Any], request: Any, parts: tuple[str, str, str], head: str
) -> SafeString:
    """A case page: its content before the sections another app adds (each in Oslo time,
    as the templates' ``{% timezone %}``), the sections, its content after them."""
    before, sections, after = context[parts[0]], context.get(parts[1]), context[parts[2]]
    added = ""
    if sections:
        with timezone.override(OSLO):
            added = chrome.included(context, request, sections)
    return chrome.page(
        request,
        title=chrome.title(context.get("title", "")),
        head=head,
        # As the template's {{ … }}: HTML given as such is written as it is, text escaped.
        content=esc(before) + added + esc(after),
        token=context.get("csrf_token"),
    )


def citizen_case_page(context: dict[str, Any], request: Any) -> SafeString:
    """``cases/citizen/case.html``."""
    parts = ("page_head", "sections", "page_tail")
    return _case_page(context, request, parts, _heads()["citizen"])


def staff_case_page(context: dict[str, Any], request: Any) -> SafeString:
    """``cases/staff/case.html``."""
    parts = ("before_sections_html", "extra_sections", "after_sections_html")
    return _case_page(context, request, parts, _heads()["staff"])


def inbox_page(context: dict[str, Any], request: Any) -> SafeString:
    """``cases/staff/inbox.html``."""
    return chrome.page(
        request,
        title=chrome.title(context.get("title", "")),
        head=_heads()["staff"],
        content=context["page"].render(context),
    )
