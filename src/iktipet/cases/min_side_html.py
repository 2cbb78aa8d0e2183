"""Min side's lists of cases and of case threads written in Python (issue 13): per row the
templates resolved a dozen variables, two ``{% if %}``s and a ``{% blocktranslate count %}``.
The same HTML as ``cases/citizen/_min_side.html`` and ``_min_side_messages.html`` wrote
(the same message ids, every value escaped as their autoescape did;
``tests/cases/test_cases_min_side_html.py`` compares them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iktipet.accounts.my_page_html import e
from iktipet.core.per_language import per_language

if TYPE_CHECKING:
    from iktipet.cases.my_page import CaseRow


@per_language
def labels() -> dict[str, str]:
    """The labels of the cases and messages sections in the active language, as
    ``{% translate %}`` gave them (a literal is safe), each looked up once per process (a
    gettext call is ~20 us here; issue 13)."""
    return {
        "sak": _("sak"),
        "myself": _("Meg selv"),
        "cases": _("Saker"),
        "no_cases": _("Du har ingen saker ennå. Når du sender inn en søknad, finner du saken her."),
        "newest": _("Viser de %(count)s nyeste sakene."),
        "messages": _("Meldinger"),
        "no_messages": _("Ingen meldinger ennå."),
        "case_line": _("%(agency)s · saksnummer %(reference)s · mottatt %(received)s"),
    }


def _joined(rows: Iterable[str], indent: str) -> SafeString:
    """Rows with the whitespace the template's ``{% for %}`` left around each."""
    return mark_safe(  # noqa: S308 (every value in a row escaped)
        "".join(f"\n{indent}{row}\n{indent}" for row in rows)
    )


def _unread_messages(count: int) -> str:
    if not count:
        return ""
    text = ngettext("%(counter)s ulest melding", "%(counter)s uleste meldinger", count)
    return f'<span class="ds-tag" data-color="info">{e(text % {"counter": count})}</span>'


def _case_row(case: CaseRow, sak: str) -> str:
    notice = (
        f'<span class="ds-tag" data-color="neutral">{e(case.decision_notice)}</span>'
        if case.decision_notice
        else ""
    )
    return (
        '<li class="minside-item">\n'
        '        <p class="ds-paragraph minside-item__title"><a class="ds-link"'
        f' href="{e(case.url)}">{e(case.title)}'
        f'<span class="ds-sr-only">, {e(sak)} {e(case.reference)}</span></a></p>\n'
        f'        <p class="ds-paragraph" data-size="sm">{e(case.line)}</p>\n'
        '        <p class="ds-paragraph minside-tags" data-size="sm">\n'
        f'          <span class="ds-tag" data-color="{e(case.tag_colour)}">'
        f"{e(case.status_label)}</span>\n"
        f"          {_unread_messages(case.unread)}\n"
        f"          {notice}\n"
        "        </p>\n"
        "      </li>"
    )


def case_rows(cases: Iterable[CaseRow]) -> SafeString:
    """One party's cases as the section's ``<li>``s."""
    sak = labels()["sak"]
    return _joined((_case_row(case, sak) for case in cases), " " * 6)


def _unread(count: int) -> str:
    if not count:
        return ""
    text = ngettext("%(counter)s ulest", "%(counter)s uleste", count) % {"counter": count}
    return f' <span class="ds-tag" data-color="info">{e(text)}</span>'


def thread_rows(threads: Iterable[dict[str, Any]], show_party: bool) -> SafeString:
    """The threads' ``<li>``s; ``show_party``: the page shows more than one party."""
    myself = labels()["myself"]
    rows = []
    for thread in threads:
        party = ""
        if show_party:
            who = thread["party"]
            party = " · " + e(who.name if who.is_organisation else myself)
        case = thread["case"]
        rows.append(
            '<li class="minside-item">\n'
            '      <p class="ds-paragraph minside-item__title"><a class="ds-link"'
            f' href="{e(case.url)}#meldinger">{e(case.title)}</a>{_unread(thread["unread"])}'
            "</p>\n"
            f'      <p class="ds-paragraph" data-size="sm">{e(thread["line"])}{party}</p>\n'
            "    </li>"
        )
    return _joined(rows, " " * 4)


def _party_heading(party: Any, show_party: bool) -> str:
    if not show_party:
        return ""
    name = party.name if party.is_organisation else mark_safe(labels()["myself"])  # noqa: S308
    return f'<h3 class="ds-heading" data-size="xs">{e(name)}</h3>'


def cases_html(
    groups: Iterable[dict[str, Any]], more: bool, limit: int, show_party: bool
) -> SafeString:
    """The "Saker" card: ``groups`` as ``[{"party": …, "html": case_rows(…)}]``; ``more``:
    there are more than ``limit`` cases. ``{% translate %}``'s literals are not escaped."""
    body = "".join(
        '\n  <div class="minside-group">\n'
        f"    {_party_heading(group['party'], show_party)}\n"
        '    <ul class="ds-list--unstyled minside-list">\n'
        f"      {group['html']}\n"
        "    </ul>\n"
        "  </div>\n  "
        for group in groups
    )
    texts = labels()
    if not body:
        body = f'\n  <p class="ds-paragraph">{texts["no_cases"]}</p>\n  '
    shown = '<p class="ds-paragraph">' + texts["newest"] % {"count": limit} + "</p>" if more else ""
    heading = texts["cases"]
    return mark_safe(  # noqa: S308 (every value escaped, the rest our own text)
        '<section class="ds-card accounts-section" data-variant="tinted"'
        ' aria-labelledby="min-side-cases">\n'
        f'  <h2 class="ds-heading" data-size="sm" id="min-side-cases">{heading}</h2>\n'
        f"  {body}\n"
        f"  {shown}\n"
        "</section>\n"
    )


def messages_html(rows: str, unread: int) -> SafeString:
    """The "Meldinger" card: ``rows`` the threads' ``thread_rows`` ("" for none), ``unread``
    their unread messages."""
    texts = labels()
    if rows:
        body = f'\n  <ul class="ds-list--unstyled minside-list">\n    {rows}\n  </ul>\n  '
    else:
        body = f'\n  <p class="ds-paragraph">{texts["no_messages"]}</p>\n  '
    heading = texts["messages"]
    return mark_safe(  # noqa: S308 (every value escaped, the rest our own text)
        '<section class="ds-card accounts-section" data-variant="tinted"'
        ' aria-labelledby="min-side-messages">\n'
        '  <h2 class="ds-heading" data-size="sm" id="min-side-messages">'
        f"{heading}{_unread(unread)}</h2>\n"
        f"  {body}\n"
        "</section>\n"
    )
