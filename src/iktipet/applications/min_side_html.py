"""Min side's drafts and receipts sections written in Python (issue 13): per row the
templates resolved a dozen variables, two ``{% url %}``s, two ``date`` filters and a
``{% blocktranslate %}``. The same HTML as ``_min_side_drafts.html`` and
``_min_side_receipts.html`` wrote (the same message ids, every value escaped as their
autoescape did; ``tests/applications/test_applications_min_side_html.py`` compares them)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from iktipet.accounts.my_page_html import e
from iktipet.core.dates import format_date
from iktipet.core.per_language import per_language

#: Per (URL name, script prefix, URLconf): the address around an application's primary key.
_around: dict[tuple[str, str, Any], tuple[str, str]] = {}


@receiver(setting_changed)
def _forget_urls(**_: Any) -> None:
    _around.clear()
    _formatted.cache_clear()


@per_language
def _texts() -> dict[str, str]:
    """The labels in the active language, as ``{% translate %}`` gave them (a literal is
    safe), each looked up once per process (a gettext call is ~20 us here; issue 13)."""
    return {
        "myself": _("Meg selv"),
        "saved": _("Lagret %(saved)s. Slettes %(deleted)s hvis den ikke sendes inn."),
        "delete": _("Slett"),
        "drafts": _("Påbegynte søknader"),
        "no_drafts": _("Du har ingen påbegynte søknader."),
        "sent": _("sendt %(date)s"),
        "pdf": _("Kvittering (PDF)"),
        "receipts": _("Kvitteringer for innsendte søknader"),
        "no_receipts": _("Du har ingen innsendte søknader ennå."),
    }


def _url_of(name: str) -> Callable[[Any], str]:
    """``{% url name pk %}`` for an application's primary key: ``reverse()`` costs ~0.1 ms
    of CPU a call here, so it is asked once per process, not per row or page."""
    key = (name, get_script_prefix(), get_urlconf())
    found = _around.get(key)
    if found is None:
        example = uuid.UUID(int=0)
        before, after = reverse(name, args=[example]).split(str(example))
        found = _around[key] = (before, after)
    before, after = found
    return lambda pk: f"{before}{pk}{after}"


def _dates() -> Callable[[dt.datetime, str], str]:
    """``moment|date:format_name`` for a section's rows: in the current time zone, as the
    filter shows it, the language and the zone asked once a section (each a thread-local
    look-up); a moment formatted once per process per language, format, moment and zone
    (``format_date``, issue 13)."""
    language, zone = get_language(), timezone.get_current_timezone()
    # The zone by name: aware moments are equal (one key) across zones at the same instant.
    zone_name = str(zone)

    def local(moment: dt.datetime, format_name: str) -> str:
        if moment.utcoffset() is not None:  # timezone.localtime's
            moment = moment.astimezone(zone)
            return _formatted(language, format_name, moment, zone_name)
        return _formatted(language, format_name, moment, "")

    return local


@lru_cache(maxsize=4096)
def _formatted(language: str, format_name: str, moment: dt.datetime, zone: str) -> str:
    # ``language`` and ``zone`` are part of the key only: format_date uses the active ones.
    return format_date(moment, format_name)


def _section(
    label: str,
    heading: str,
    groups: list[dict[str, Any]],
    row: Callable[[Any], str],
    show_party: bool,
    empty: str,
) -> SafeString:
    """The card with a ``<div>`` per party, ``row(item)`` per item (or the empty text), as
    the templates laid them out."""
    myself = mark_safe(_texts()["myself"])  # noqa: S308 (as {% translate %} gave it: our own text)
    body = "".join(
        _group(group["party"], "".join(row(item) for item in group["items"]), show_party, myself)
        for group in groups
    )
    body = body or f'\n  <p class="ds-paragraph">{empty}</p>\n  '
    return mark_safe(  # noqa: S308 (every value escaped, the rest our own text)
        "\n"
        f'<section class="ds-card accounts-section" data-variant="tinted"'
        f' aria-labelledby="{label}">\n'
        f'  <h2 class="ds-heading" data-size="sm" id="{label}">{heading}</h2>\n'
        f"  {body}\n"
        "</section>\n"
    )


def _group(party: Any, rows: str, show_party: bool, myself: str) -> str:
    name = party.name if party.is_organisation else myself
    heading = f'<h3 class="ds-heading" data-size="xs">{e(name)}</h3>' if show_party else ""
    return (
        '\n  <div class="minside-group">\n'
        f"    {heading}\n"
        '    <ul class="ds-list--unstyled minside-list">\n'
        f"      {rows}\n"
        "    </ul>\n"
        "  </div>\n  "
    )


def drafts_html(groups: list[dict[str, Any]], show_party: bool, csrf_token: str) -> SafeString:
    """ "Påbegynte søknader": ``groups`` as ``[{"party": …, "items": [drafts]}]``, each draft
    with its ``title`` and ``expires``; ``csrf_token``: the form's token for deleting."""
    resume, delete = _url_of("applications:resume"), _url_of("applications:delete")
    texts = _texts()
    saved_line = texts["saved"]
    remove = mark_safe(texts["delete"])  # noqa: S308 (as {% translate %} gave it: our own text)
    token = f'<input type="hidden" name="csrfmiddlewaretoken" value="{e(csrf_token)}">'
    local = _dates()

    def row(draft: Any) -> str:
        title = e(draft.title)
        saved = saved_line % {
            "saved": e(local(draft.updated_at, "SHORT_DATETIME_FORMAT")),
            "deleted": e(local(draft.expires, "SHORT_DATE_FORMAT")),
        }
        return (
            '<li class="minside-item">\n'
            '        <p class="ds-paragraph minside-item__title"><a class="ds-link"'
            f' href="{e(resume(draft.pk))}">{title}</a></p>\n'
            f'        <p class="ds-paragraph" data-size="sm">{saved}</p>\n'
            f'        <form method="post" action="{e(delete(draft.pk))}" class="inline-form">'
            f'{token}<button class="ds-button" data-variant="tertiary" data-size="sm"'
            f' type="submit">{remove}<span class="ds-sr-only"> {title}</span></button></form>\n'
            "      </li>"
        )

    heading, empty = texts["drafts"], texts["no_drafts"]
    return _section("min-side-drafts", heading, groups, row, show_party, empty)


def receipts_html(groups: list[dict[str, Any]], show_party: bool) -> SafeString:
    """ "Kvitteringer for innsendte søknader": ``groups`` as ``[{"party": …, "items":
    [submitted applications]}]``, each with its ``title``."""
    receipt, pdf = _url_of("applications:receipt"), _url_of("applications:receipt_pdf")
    texts = _texts()
    sent_line = texts["sent"]
    download = mark_safe(texts["pdf"])  # noqa: S308 (as {% translate %} gave it)
    local = _dates()

    def row(item: Any) -> str:
        reference = e(item.reference)
        sent = sent_line % {"date": e(local(item.submitted_at, "SHORT_DATE_FORMAT"))}
        return (
            '<li class="minside-item">\n'
            '        <p class="ds-paragraph minside-item__title"><a class="ds-link"'
            f' href="{e(receipt(item.pk))}">{e(item.title)}</a></p>\n'
            f'        <p class="ds-paragraph" data-size="sm">{reference}, {sent} · <a'
            f' class="ds-link" href="{e(pdf(item.pk))}" download>{download}'
            f'<span class="ds-sr-only"> {reference}</span></a></p>\n'
            "      </li>"
        )

    heading, empty = texts["receipts"], texts["no_receipts"]
    return _section("min-side-receipts", heading, groups, row, show_party, empty)
