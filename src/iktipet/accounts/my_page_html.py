"""Min side's own parts written in Python (issue 13): the page's frame (the heading, whom the
person acts for, the filter, "Om deg") and "Trenger svar fra deg".

They were ``accounts/my_page.html``'s content block and ``accounts/_needs_answer.html``:
~60 template nodes, a ``{% url %}``, a dozen ``{% translate %}``s and an ``{% include %}`` a
request. What is the same for everyone in a language (labels, addresses) is made once per
process, language and script prefix; what is the person's is escaped here on each request,
as the templates' autoescape did. ``tests/accounts/test_accounts_my_page_html.py`` renders
the old templates beside these with hostile values, in bokmål and English.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from iktipet.accounts.parties import ActingParty
from iktipet.core.dates import format_date
from iktipet.core.per_language import per_language


@per_language
def _common() -> dict[str, str]:
    """The labels as ``{% translate %}`` wrote them (a template's literal is safe: not
    escaped), each a plain gettext call (makemessages reads no f-string)."""
    return {
        "heading": _("Min side"),
        "myself_acting": _("Du bruker tjenestene på vegne av deg selv."),
        "acting_for": _("Du bruker tjenestene på vegne av %(name)s (org.nr. %(orgnr)s)."),
        "choose": escape(reverse("accounts:choose_party")),
        "change": _("Bytt hvem du representerer"),
        "show_for": _("Vis saker og meldinger for"),
        "all": _("Alle"),
        "orgnr": _("org.nr."),
        "myself": _("Meg selv"),
        "show": _("Vis"),
        "register_failed": _(
            "Vi fikk ikke hentet virksomhetene du kan representere, så bare dine egne"
            " saker vises nå."
        ),
        "about": _("Om deg"),
        "name": _("Navn"),
        "unknown": _("Ukjent"),
        "pid": _("Fødselsnummer"),
        "address": _("Adresse i folkeregisteret"),
        "no_address": _("Ingen adresse å vise."),
        "needs_answer": _("Trenger svar fra deg"),
        "nothing_waits": _("Ingenting venter på svar fra deg nå."),
        "answer_by": _("Svar innen %(date)s"),
    }


def e(value: Any) -> str:
    """``{{ value }}`` under autoescape: Django's ``conditional_escape`` without its
    lazy-argument wrapper (~2 µs a call; Min side's sections use it too, issue 13)."""
    if type(value) is str:
        return html.escape(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _filter(path: str, choices: Iterable[tuple[str, ActingParty]], chosen: str) -> str:
    texts = _common()
    options = "".join(
        f'<option value="{e(value)}"{" selected" if value == chosen else ""}>'
        + (
            f"{e(choice.name)} ({texts['orgnr']} {e(choice.id)})"
            if choice.is_organisation
            else f"{texts['myself']} ({e(choice.name)})"
        )
        + "</option>"
        for value, choice in choices
    )
    return (
        "\n"
        f'<form class="minside-filter" method="get" action="{e(path)}">\n'
        '  <div class="ds-field">\n'
        f'    <label class="ds-label" for="minside-part">{texts["show_for"]}</label>\n'
        '    <select class="ds-input" id="minside-part" name="part">\n'
        f'      <option value=""{"" if chosen else " selected"}>{texts["all"]}</option>\n'
        f"      {options}\n"
        "    </select>\n"
        "  </div>\n"
        f'  <button class="ds-button" data-variant="secondary" type="submit">{texts["show"]}'
        "</button>\n"
        "</form>\n"
    )


def page_html(sections: Iterable[str], **page: Any) -> SafeString:
    """The page's content block: ``page_parts(**page)`` around ``sections``, each section's
    HTML in order."""
    top, bottom = page_parts(**page)
    return mark_safe(top + "".join(sections) + bottom)  # noqa: S308 (all of it HTML already)


def page_parts(
    *,
    path: str,
    party: ActingParty | None,
    parties: Any,
    choices: Iterable[tuple[str, ActingParty]],
    person: Any,
    address: Any,
    register_error: str,
) -> tuple[SafeString, SafeString]:
    """The page's content block before the sections and after them (the page's template
    puts the sections between): ``path`` the request's path, ``party`` the acting party,
    ``parties`` the page's ``PageParties``, ``choices`` the filter's (value, party)."""
    texts = _common()
    if party is not None and party.is_organisation:
        acting = texts["acting_for"] % {"name": e(party.name), "orgnr": e(party.id)}
    else:
        acting = texts["myself_acting"]
    choose = f"{texts['choose']}?next={e(quote(path, safe='/'))}"
    filter_form = _filter(path, choices, parties.chosen) if len(parties.all) > 1 else ""
    failed = (
        '<div class="ds-alert" data-color="warning"><p class="ds-paragraph">'
        f"{texts['register_failed']} {e(parties.register_error)}</p></div>"
        if parties.register_error
        else ""
    )
    if address:
        where = f"{e(address.street)}, {e(address.postnummer)} {e(address.poststed)}\n      "
    elif register_error:
        where = f"{e(register_error)}\n      "
    else:
        where = texts["no_address"]
    top = (
        "\n"
        f'<h1 class="ds-heading" data-size="lg">{texts["heading"]}</h1>\n'
        '<p class="ds-paragraph minside-acting">\n'
        f"  {acting}\n"
        f'  <a class="ds-link" href="{choose}">{texts["change"]}</a>\n'
        "</p>\n"
        f"{filter_form}\n"
        f"{failed}\n"
    )
    bottom = (
        "\n"
        '<section aria-labelledby="me-heading" class="ds-card accounts-section"'
        ' data-variant="tinted">\n'
        f'  <h2 class="ds-heading" data-size="sm" id="me-heading">{texts["about"]}</h2>\n'
        '  <dl class="accounts-facts">\n'
        f"    <dt>{texts['name']}</dt>\n"
        f"    <dd>{e(person.user.get_full_name() or texts['unknown'])}</dd>\n"
        f"    <dt>{texts['pid']}</dt>\n"
        f"    <dd>{e(person.pid_masked)}</dd>\n"
        f"    <dt>{texts['address']}</dt>\n"
        "    <dd>\n"
        f"      {where}\n"
        "    </dd>\n"
        "  </dl>\n"
        "</section>\n"
    )
    # Every value escaped, the rest our own text.
    return mark_safe(top), mark_safe(bottom)  # noqa: S308


def _deadline(day: dt.date | dt.datetime) -> str:
    """``day|date:"SHORT_DATE_FORMAT"``: a moment in the current time zone."""
    if isinstance(day, dt.datetime) and timezone.is_aware(day):
        day = timezone.localtime(day)
    return format_date(day, "SHORT_DATE_FORMAT")


def needs_answer_html(items: Sequence[Any], show_party: bool) -> SafeString:
    """ "Trenger svar fra deg": ``items`` (``NeedsAnswer``s) soonest deadline first;
    ``show_party``: the page shows more than one party."""
    texts = _common()
    if items:
        rows = []
        for item in items:
            party = ""
            if show_party:
                who = item.party
                party = " · " + (e(who.name) if who.is_organisation else texts["myself"])
            deadline = (
                '<p class="ds-paragraph" data-size="sm"><span class="ds-tag"'
                ' data-color="warning">'
                + texts["answer_by"] % {"date": e(_deadline(item.deadline))}
                + "</span></p>"
                if item.deadline
                else ""
            )
            rows.append(
                "\n"
                '    <li class="minside-item">\n'
                '      <p class="ds-paragraph minside-item__title"><a class="ds-link"'
                f' href="{e(item.url)}">{e(item.what)}</a></p>\n'
                f'      <p class="ds-paragraph" data-size="sm">{e(item.title)}{party}</p>\n'
                f"      {deadline}\n"
                "    </li>\n"
                "    "
            )
        body = f'\n  <ul class="ds-list--unstyled minside-list">\n    {"".join(rows)}\n  </ul>\n  '
    else:
        body = f'\n  <p class="ds-paragraph">{texts["nothing_waits"]}</p>\n  '
    return mark_safe(  # noqa: S308 (every value escaped, the rest our own text)
        '<section class="ds-card accounts-section" data-variant="tinted"'
        ' aria-labelledby="min-side-needs-answer">\n'
        '  <h2 class="ds-heading" data-size="sm" id="min-side-needs-answer">'
        f"{texts['needs_answer']}</h2>\n"
        f"  {body}\n"
        "</section>\n"
    )
