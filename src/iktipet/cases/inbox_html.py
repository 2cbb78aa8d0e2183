"""The inbox's rows and the rest of its content as HTML, written in Python (issue 13).

The rows' ``{% for %}`` cost about a third of the inbox: 25 rows of eight cells, each value
resolved through the template engine's lookups and escaped one at a time (~0.05 ms a row).
The rest of the content (heading, tabs, the filter form, table head, pager) was ~60 template
tags, ~25 of them ``{% translate %}`` (0.67 ms a view at load ~13; 0.03 ms written here with
its fixed parts made once per language). The same markup, byte for byte, is written here
(``tests/cases/test_cases_inbox_html.py`` and ``test_cases_inbox_page_html.py`` render the
templates it replaced, kept in ``templates_before/``, beside it); ``cases/staff/inbox.html``
includes it as ``{% include page %}`` (:meth:`inbox.InboxPage.render`).

Every value a person or a service wrote (the title, the party's name, the assignee's name,
an agency's or a service's name, the search text and its error) is escaped as the template
engine escapes ``{{ value }}``; a translation is written as ``{% translate %}`` wrote it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from html import escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iktipet.cases.deadlines import OSLO
from iktipet.cases.workflow import get_workflow
from iktipet.core.dates import format_date
from iktipet.core.html import esc
from iktipet.core.per_language import per_language

#: ``value`` as ``{{ value }}`` writes it (autoescape on): ``core.html.esc``, Django's
#: ``conditional_escape`` without its lazy-argument check (~0.2 µs a call, ~75 calls a page).
e = esc


#: The most days kept per language (``_row_markup()["days"]``): the inbox shows the days of
#: cases received and due, a few hundred a year; a process running for years stops adding.
MAX_DAYS = 4096


@per_language
def _row_markup() -> dict[str, Any]:
    """The rows' fixed markup and the case's address, made once per language and script
    prefix, and what rows fill in as they show it: each state's label (a workflow look-up and
    a translation were ~15 µs a row), each count's unread label (an ``ngettext`` ~30 µs) and
    each day as the page writes it (``format_date``, twice a row), all escaped. A workflow's
    states are read once per process (workflow.py), so a label once made stays right; none
    of it is personal."""
    overdue, unassigned = esc(_("Overtid")), esc(_("Ikke tildelt"))
    no_unread = esc(_("Ingen nye meldinger"))
    return {
        # The case's address as staff_urls.py has it (tests/cases pin it against reverse()).
        "path": esc(reverse("casework:inbox")),
        "overdue": (
            f' <strong class="ds-tag casework-overdue" data-color="danger">{overdue}</strong>'
        ),
        "unassigned": f'<span class="casework-muted">{unassigned}</span>',
        "no_unread": f'<span class="ds-sr-only">{no_unread}</span>',
        "statuses": {},
        "unread": {},
        "days": {},
    }


def _status(workflow: str, status: str, labels: dict[tuple[str, str], str]) -> str:
    found = labels[workflow, status] = esc(get_workflow(workflow).label(status))
    return found


def _unread(count: int, labels: dict[int, str]) -> str:
    """ "3 uleste meldinger" in its tag, kept for the small counts a row shows."""
    text = ngettext("%(count)s ulest melding", "%(count)s uleste meldinger", count) % {
        "count": count
    }
    found = f'<span class="ds-tag casework-unread" data-color="info">{esc(text)}</span>'
    if count < 1000:
        labels[count] = found
    return found


def _day(day: dt.date, days: dict[dt.date, str]) -> str:
    found = esc(format_date(day, "SHORT_DATE_FORMAT"))
    if len(days) < MAX_DAYS:
        days[day] = found
    return found


def _escaped_each(values: list[str]) -> list[str]:
    """``[esc(value) for value in values]`` for text read from the database (plain ``str``),
    in one ``html.escape`` of them joined by NUL, which escaping leaves as it is: five
    replaces for a page's party names instead of five for each. Each value apart when one
    holds a NUL (the parts would not be the values) or is no ``str``."""
    try:
        parts = escape("\x00".join(values)).split("\x00")
    except TypeError:
        parts = []
    if len(parts) != len(values):
        return [esc(value) for value in values]
    return parts


def inbox_rows_html(rows: Iterable[Any], now: dt.datetime) -> SafeString:
    """The inbox's rows (``inbox.InboxRow``) as the template loop wrote them (kept in
    ``tests/cases/templates_before/inbox_rows.html``), with ``now`` for what is overdue: an
    open case past its due date (Oslo's today) or whose applicant's answer is late.

    Written straight from each row's values: its fixed parts and labels from
    :func:`_row_markup`, the number and the address need no escaping (numbers, a UUID), and
    a title or an assignee's name repeated on the page is escaped once."""
    fixed = _row_markup()
    path, overdue_html = fixed["path"], fixed["overdue"]
    unassigned, no_unread = fixed["unassigned"], fixed["no_unread"]
    statuses, unread_labels, days = fixed["statuses"], fixed["unread"], fixed["days"]
    today = now.astimezone(OSLO).date()  # deadlines.local_date: the days are Oslo's
    titles: dict[str, str] = {}
    names: dict[int, str] = {}
    rows = list(rows)
    parties = _escaped_each([row.party_name for row in rows])
    written = []
    for row, party in zip(rows, parties, strict=True):
        title = titles.get(row.title)
        if title is None:
            title = titles[row.title] = esc(row.title)
        status = statuses.get((row.workflow, row.status)) or _status(
            row.workflow, row.status, statuses
        )
        received = row.received_at.astimezone(OSLO).date()
        received_html = days.get(received) or _day(received, days)
        due = row.due_date
        due_html = (days.get(due) or _day(due, days)) if due is not None else "–"
        waiting = row.waiting_until
        overdue = row.is_open and (
            (due is not None and due < today) or (waiting is not None and waiting < now)
        )
        who = row.assignee
        if who is None:
            assignee = unassigned
        else:
            # By identity (the rows hold them): the reader on every row of "Mine saker",
            # one Assignee per person on "Alle saker" (inbox.inbox_page).
            assignee = names.get(id(who))
            if assignee is None:
                name = who.get_full_name() or who.get_username()
                assignee = names[id(who)] = esc(name) if name else unassigned
        count = row.unread
        unread = (unread_labels.get(count) or _unread(count, unread_labels)) if count else no_unread
        written.append(
            "\n    <tr>\n"
            f'      <td><a class="ds-link" href="{path}{row.id}/">{row.year}/{row.sequence:06d}'
            "</a></td>\n"
            f"      <td>{title}</td>\n"
            f"      <td>{party}</td>\n"
            f"      <td>{status}</td>\n"
            f"      <td>{received_html}</td>\n"
            f"      <td>{due_html}{overdue_html if overdue else ''}</td>\n"
            f"      <td>{assignee}</td>\n"
            f"      <td>{unread}</td>\n"
            "    </tr>\n    "
        )
    return mark_safe("".join(written))  # noqa: S308 (every value escaped above)


# --- the texts inbox_view gives the page --------------------------------------------------------


@per_language
def inbox_texts() -> dict[str, Any]:
    """The view's fixed texts, made once per language and script prefix (core.per_language)
    instead of four gettext calls per view."""
    return {
        "title": _("Innboks"),
        "tabs": (
            ("mine", _("Mine saker")),
            ("unassigned", _("Ufordelte saker")),
            ("all", _("Alle saker")),
        ),
    }


# --- the page's content -----------------------------------------------------------------------

# The content's fixed markup with its ~25 translations and the form's address, made once per
# process, language and script prefix instead of a ``{% translate %}`` and a ``{% url %}`` per
# view (core.per_language).


@per_language
def _fixed_markup() -> dict[str, str]:
    # Plain gettext calls (makemessages reads no call inside an f-string); a translation is
    # written as {% translate %} wrote it: unescaped (a template's literal is safe).
    heading, view, filter_cases = _("Innboks"), _("Visning"), _("Filtrer saker")
    agency, service, all_services = _("Virksomhet"), _("Tjeneste"), _("Alle tjenester")
    status, all_statuses, search = _("Status"), _("Alle statuser"), _("Søk")
    hint = _(
        "Saksnummer (2026/000123 eller 000123), søknadsreferanse eller "
        "begynnelsen av navnet til parten."
    )
    overdue, closed, show = (
        _("Bare saker på overtid"),
        _("Vis også avsluttede saker"),
        _("Vis saker"),
    )
    columns = (
        _("Saksnummer"),
        _("Tjeneste"),
        _("Part"),
        _("Status"),
        _("Mottatt"),
        _("Frist"),
        _("Saksbehandler"),
        _("Nye meldinger"),
    )
    cases, empty, pages = _("Saker"), _("Ingen saker passer med filteret."), _("Sider")
    first, previous, following = _("Første side"), _("Forrige side"), _("Neste side")
    action = e(reverse("casework:inbox"))
    return {
        "heading": f'\n<h1 class="ds-heading" data-size="lg">{heading} – ',
        "tabs": (
            f'</h1>\n<nav aria-label="{view}">\n'
            '  <ul class="ds-list--unstyled casework-tabs">\n    '
        ),
        "form": (
            f'\n  </ul>\n</nav>\n<form method="get" action="{action}" class="casework-filters" '
            f'role="search" aria-label="{filter_cases}">\n'
            '  <input type="hidden" name="visning" value="'
        ),
        "agencies": (
            '">\n  \n  <div class="ds-field">\n'
            f'    <label class="ds-label" for="f-virksomhet">{agency}</label>\n'
            '    <select class="ds-input" id="f-virksomhet" name="virksomhet">\n      '
        ),
        "agencies_end": "\n    </select>\n  </div>\n  ",
        "agency": '">\n  <input type="hidden" name="virksomhet" value="',
        "services": (
            '\n  <div class="ds-field">\n'
            f'    <label class="ds-label" for="f-tjeneste">{service}</label>\n'
            '    <select class="ds-input" id="f-tjeneste" name="tjeneste">\n'
            f'      <option value="">{all_services}</option>\n      '
        ),
        "statuses": (
            '\n    </select>\n  </div>\n  <div class="ds-field">\n'
            f'    <label class="ds-label" for="f-status">{status}</label>\n'
            '    <select class="ds-input" id="f-status" name="status">\n'
            f'      <option value="">{all_statuses}</option>\n      '
        ),
        "search": (
            '\n    </select>\n  </div>\n  <div class="ds-field">\n'
            f'    <label class="ds-label" for="f-sok">{search}</label>\n'
            f'    <div data-field="description" id="f-sok-hint">{hint}</div>\n'
            '    <input class="ds-input" type="search" id="f-sok" name="sok" value="'
        ),
        "overdue": (
            '\n  </div>\n  <div class="ds-field casework-filters__checks">\n'
            '    <input class="ds-input" type="checkbox" id="f-forfalt" name="forfalt" value="1"'
        ),
        "closed": (
            f'>\n    <label class="ds-label" for="f-forfalt">{overdue}</label>\n  </div>\n'
            '  <div class="ds-field casework-filters__checks">\n'
            '    <input class="ds-input" type="checkbox" id="f-lukkede" name="lukkede" value="1"'
        ),
        "form_end": (
            f'>\n    <label class="ds-label" for="f-lukkede">{closed}</label>\n  </div>\n'
            f'  <button class="ds-button" type="submit">{show}</button>\n</form>\n'
        ),
        "table": (
            '\n<table class="ds-table casework-inbox">\n'
            f'  <caption class="ds-sr-only">{cases}</caption>\n'
            "  <thead>\n    <tr>\n"
            + "".join(f'      <th scope="col">{column}</th>\n' for column in columns)
            + "    </tr>\n  </thead>\n  <tbody>\n    "
        ),
        "table_end": "\n  </tbody>\n</table>\n",
        "empty": f'\n<p class="ds-paragraph" role="status">{empty}</p>\n',
        "pager": (
            f'\n<nav aria-label="{pages}">\n  <ul class="ds-list--unstyled casework-pager">\n    '
        ),
        "first": f"{first}</a></li>",
        "previous": f'" rel="prev">{previous}</a></li>',
        "next": f'" rel="next">{following}</a></li>',
        "pager_end": "\n  </ul>\n</nav>\n",
    }


def _options(choices: Iterable[tuple[Any, Any]], selected: Any) -> str:
    """The filter's options, the chosen one selected: kept per process by what they are made
    of (an agency's services or their states, with their labels in the page's language, and
    the choice: nothing personal), ~25 escapes a page otherwise."""
    key = tuple(choices)
    try:
        return _options_of(key, selected)
    except TypeError:  # an unhashable value (no view makes one): written anew
        return _write_options(key, selected)


def _write_options(choices: Iterable[tuple[Any, Any]], selected: Any) -> str:
    return "".join(
        f'<option value="{e(value)}"{" selected" if value == selected else ""}>{e(label)}</option>'
        for value, label in choices
    )


_options_of = lru_cache(maxsize=256)(_write_options)


def inbox_content_html(context: Any) -> SafeString:
    """What ``cases/staff/inbox.html``'s content block wrote (kept in
    ``tests/cases/templates_before/inbox.html``), from the context ``inbox_view`` makes:
    the heading, the tabs, the filter form with what was chosen and typed (escaped), the
    table around ``rows_html`` or the empty message, and the pager."""
    fixed = _fixed_markup()
    agency = context["agency"]
    agencies = context["agencies"]
    filters = context["filters"]
    parts = [fixed["heading"], e(agency.name), fixed["tabs"]]
    for tab in context["tabs"]:
        current = '" aria-current="page">' if tab["current"] else '">'
        kind = "ds-link casework-tabs__current" if tab["current"] else "ds-link"
        parts.append(
            f'\n    <li><a class="{kind}" href="{e(tab["url"])}{current}{e(tab["label"])}'
            "</a></li>\n    "
        )
    parts += [fixed["form"], e(filters["visning"])]
    if len(agencies) > 1:
        parts += [
            fixed["agencies"],
            "".join(
                f'<option value="{e(a.slug)}"{" selected" if a.pk == agency.pk else ""}>'
                f"{e(a.name)}</option>"
                for a in agencies
            ),
            fixed["agencies_end"],
        ]
    else:
        parts += [fixed["agency"], e(agency.slug), '">']
    search_error = context["search_error"]
    parts += [
        fixed["services"],
        _options(((s["id"], s["title"]) for s in context["services"]), filters["tjeneste"]),
        fixed["statuses"],
        _options(context["statuses"], filters["status"]),
        fixed["search"],
        e(filters["sok"]),
        '" maxlength="100" aria-describedby="f-sok-hint',
        ' f-sok-error" aria-invalid="true">\n    ' if search_error else '">\n    ',
        '<div class="ds-validation-message" data-field="validation" id="f-sok-error">'
        f"{e(search_error)}</div>"
        if search_error
        else "",
        fixed["overdue"],
        " checked" if filters["forfalt"] else "",
        fixed["closed"],
        " checked" if filters["lukkede"] else "",
        fixed["form_end"],
    ]
    if context["rows"]:
        parts += [fixed["table"], context["rows_html"], fixed["table_end"]]
    else:
        parts.append(fixed["empty"])
    parts.append("\n")
    first, previous, following = (
        context["first_url"],
        context["previous_url"],
        context["next_url"],
    )
    if previous or following or first:
        parts += [
            fixed["pager"],
            f'<li><a class="ds-link" href="{e(first)}">{fixed["first"]}' if first else "",
            "\n    ",
            f'<li><a class="ds-link" href="{e(previous)}{fixed["previous"]}' if previous else "",
            "\n    ",
            f'<li><a class="ds-link" href="{e(following)}{fixed["next"]}' if following else "",
            fixed["pager_end"],
        ]
    parts.append("\n")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)
