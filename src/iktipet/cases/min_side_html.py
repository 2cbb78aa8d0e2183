"""Min side's lists of cases and of case threads written in Python (issue 13): per row the
templates resolved a dozen variables, two ``{% if %}``s and a ``{% blocktranslate count %}``.
The same HTML as ``cases/citizen/_min_side.html`` and ``_min_side_messages.html`` wrote
(the same message ids, every value escaped as their autoescape did;
``tests/cases/test_cases_min_side_html.py`` compares them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from iktipet.cases.my_page import CaseRow


def _joined(rows: Iterable[str], indent: str) -> SafeString:
    """Rows with the whitespace the template's ``{% for %}`` left around each."""
    return mark_safe(  # noqa: S308 (every row is built by format_html)
        "".join(f"\n{indent}{row}\n{indent}" for row in rows)
    )


def _unread_messages(count: int) -> str:
    if not count:
        return ""
    return format_html(
        '<span class="ds-tag" data-color="info">{}</span>',
        ngettext("%(counter)s ulest melding", "%(counter)s uleste meldinger", count)
        % {"counter": count},
    )


def _case_row(case: CaseRow, sak: str) -> SafeString:
    notice = (
        format_html('<span class="ds-tag" data-color="neutral">{}</span>', case.decision_notice)
        if case.decision_notice
        else ""
    )
    return format_html(
        '<li class="minside-item">\n'
        '        <p class="ds-paragraph minside-item__title"><a class="ds-link" href="{}">{}'
        '<span class="ds-sr-only">, {} {}</span></a></p>\n'
        '        <p class="ds-paragraph" data-size="sm">{}</p>\n'
        '        <p class="ds-paragraph minside-tags" data-size="sm">\n'
        '          <span class="ds-tag" data-color="{}">{}</span>\n'
        "          {}\n"
        "          {}\n"
        "        </p>\n"
        "      </li>",
        case.url,
        case.title,
        sak,
        case.reference,
        case.line,
        case.tag_colour,
        case.status_label,
        _unread_messages(case.unread),
        notice,
    )


def case_rows(cases: Iterable[CaseRow]) -> SafeString:
    """One party's cases as the section's ``<li>``s."""
    sak = _("sak")
    return _joined((_case_row(case, sak) for case in cases), " " * 6)


def _unread(count: int) -> str:
    if not count:
        return ""
    return format_html(
        ' <span class="ds-tag" data-color="info">{}</span>',
        ngettext("%(counter)s ulest", "%(counter)s uleste", count) % {"counter": count},
    )


def thread_rows(threads: Iterable[dict[str, Any]], show_party: bool) -> SafeString:
    """The threads' ``<li>``s; ``show_party``: the page shows more than one party."""
    myself = _("Meg selv")
    rows = []
    for thread in threads:
        party = ""
        if show_party:
            who = thread["party"]
            party = format_html(" · {}", who.name if who.is_organisation else myself)
        rows.append(
            format_html(
                '<li class="minside-item">\n'
                '      <p class="ds-paragraph minside-item__title"><a class="ds-link"'
                ' href="{}#meldinger">{}</a>{}</p>\n'
                '      <p class="ds-paragraph" data-size="sm">{}{}</p>\n'
                "    </li>",
                thread["case"].url,
                thread["case"].title,
                _unread(thread["unread"]),
                thread["line"],
                party,
            )
        )
    return _joined(rows, " " * 4)
