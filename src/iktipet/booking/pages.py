"""The week of times as a whole page (``core.python_pages``: ``render()`` finds it by its old
template's name, ``booking/picker.html``, kept in ``tests/core/pages_before``), written here
in the frame every page shares (``accounts.chrome``), without the template engine (issue 13).

The page is the view's context as the template wrote it: the texts that are the same for
everyone in a language made once (``per_language``), every value from data escaped here
(``core.html.esc``), the week's days as ``picker.picker_context`` wrote them.
"""

from __future__ import annotations

from typing import Any

from django.template import engines
from django.urls import reverse
from django.utils.formats import date_format, time_format
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from iktipet.accounts import chrome
from iktipet.core.csrf_html import csrf_input
from iktipet.core.html import esc
from iktipet.core.per_language import per_language

#: Links after the terms, per (slug, needs approval, price rule), in a language: a bound
#: against resources that are not few after all (the oldest goes).
_MAX_LINKS = 256


@per_language
def _texts() -> dict[str, str]:
    """The page's fixed texts in the active language, escaped as the template's
    ``{% translate %}`` wrote them."""
    return {
        "back": esc(_("Tilbake til timen")),
        "errors": esc(_("Timen ble ikke bestilt. Rett opp følgende:")),
        "waitlist": esc(_("Er tiden du vil ha, full? Stå på venteliste")),
        "rental": esc(_("Lei samme tid hver uke i en periode")),
        # As {% blocktranslate %}: the message as it is, its values escaped.
        "moving": _("Du har time %(date)s kl. %(time)s. Velg et nytt tidspunkt."),
        "topic": esc(_("Hva trenger du hjelp med?")),
        "choose": esc(_("Velg")),
        "note": esc(_("Beskriv kort hva du trenger hjelp med (valgfritt)")),
        "paging": esc(_("Bla mellom uker")),
        "previous": esc(_("Forrige uke")),
        "next": esc(_("Neste uke")),
        "move": esc(_("Flytt timen")),
        "go_on": esc(_("Gå videre")),
    }


@per_language
def _links() -> dict[tuple[str, bool, str], str]:
    """The links after the terms (the waiting list; the weekly rental of a resource let by
    the hour that needs approval), per resource's slug and settings."""
    return {}


def _links_of(resource: Any) -> str:
    key = (resource.slug, resource.needs_approval, resource.price_rule)
    links = _links()
    found = links.get(key)
    if found is None:
        texts, slug = _texts(), resource.slug
        found = (
            f'<p class="ds-paragraph"><a class="ds-link" href="'
            f'{esc(reverse("booking:waitlist", args=[slug]))}">{texts["waitlist"]}</a></p>\n'
        )
        if resource.needs_approval and resource.price_rule == "per_hour":
            found += (
                f'<p class="ds-paragraph"><a class="ds-link" href="'
                f'{esc(reverse("booking:rental_form", args=[slug]))}">{texts["rental"]}</a></p>'
            )
        if len(links) >= _MAX_LINKS:
            links.clear()
        links[key] = found
    return found


def _error_anchor(name: str) -> str:
    return name if name in ("topic", "note") else "times"


def _topics(context: dict[str, Any], errors: dict[str, Any], texts: dict[str, str]) -> str:
    """The topic and the note (a new booking of a resource that asks what it is about)."""
    typed = context["typed"]
    chosen = typed.get("topic", "")
    options = "".join(
        f'<option value="{esc(topic["value"])}"'
        f"{' selected' if chosen == topic['value'] else ''}>{esc(topic['label'])}</option>"
        for topic in context["topics"]
    )
    topic_error = errors.get("topic")
    note_error = errors.get("note")
    return (
        '\n  <div class="ds-field">\n'
        f'    <label class="ds-label" for="topic">{texts["topic"]}</label>\n    '
        + (
            '<div class="ds-validation-message" data-field="validation" id="topic-error">'
            f"{esc(topic_error)}</div>"
            if topic_error
            else ""
        )
        + '\n    <select class="ds-input" id="topic" name="topic"'
        + (' aria-invalid="true" aria-describedby="topic-error"' if topic_error else "")
        + f'>\n      <option value="">{texts["choose"]}</option>\n      {options}\n'
        "    </select>\n  </div>\n"
        '  <div class="ds-field">\n'
        f'    <label class="ds-label" for="note">{texts["note"]}</label>\n    '
        + (
            '<div class="ds-validation-message" data-field="validation" id="note-error">'
            f"{esc(note_error)}</div>"
            if note_error
            else ""
        )
        + '\n    <textarea class="ds-input" id="note" name="note" rows="3" maxlength="1000"'
        + (' aria-invalid="true" aria-describedby="note-error"' if note_error else "")
        + f">{esc(typed.get('note', ''))}</textarea>\n  </div>\n  "
    )


def _nearest(context: dict[str, Any]) -> str:
    """The free times nearest the one lost (a page after a refused choice only): the
    template the form step shares."""
    template = engines["django"].get_template("booking/_picker_nearest.html")
    return str(template.render({"nearest": context["nearest"]}))


def picker(context: dict[str, Any], request: Any) -> SafeString:
    """``booking/picker.html``: a week of times to choose from, to book or to move to."""
    texts = _texts()
    token = chrome.csrf_token(request)
    errors = context["errors"]
    reservation = context["reservation"]
    resource = context["resource"]
    title = esc(context["title"])
    parts = ["\n"]
    if reservation is not None:
        back = esc(reverse("booking:booking", args=[reservation.pk]))
        parts.append(
            f'<p class="ds-paragraph"><a class="ds-link" href="{back}">{texts["back"]}</a></p>'
        )
    parts.append("\n")
    if errors:
        items = "".join(
            f'<li><a class="ds-link" href="#{_error_anchor(name)}">{esc(message)}</a></li>'
            for name, message in errors.items()
        )
        parts.append(
            '<div class="ds-error-summary" role="alert" aria-labelledby="error-summary-heading"'
            ' tabindex="-1" id="error-summary">\n'
            '  <h2 class="ds-heading" data-size="xs" id="error-summary-heading">'
            f'{texts["errors"]}</h2>\n  <ul class="ds-list">{items}</ul>\n</div>'
        )
    parts.append(
        f'\n<h1 class="ds-heading" data-size="lg">{title}</h1>\n'
        f'<p class="ds-paragraph">{esc(resource.name)} · {esc(resource.location)}</p>\n'
        f"{esc(context['terms'])}\n"
    )
    if not reservation:
        parts.append(_links_of(resource))
    parts.append("\n")
    if reservation:
        starts_at = localtime(reservation.starts_at)
        moving = texts["moving"] % {
            "date": esc(date_format(starts_at, "l j. F Y")),
            "time": esc(time_format(starts_at, "H:i")),
        }
        parts.append(f'<p class="ds-paragraph">{moving}</p>')
    parts.append(
        f'\n<form method="post" novalidate action="{esc(request.get_full_path())}">\n'
        f"  {csrf_input(token)}\n  "
    )
    if reservation:
        sequence = esc(context["typed"].get("sequence", ""))
        parts.append(f'<input type="hidden" name="sequence" value="{sequence}">')
    parts.append("\n  ")
    if context["nearest"]:
        parts.append(_nearest(context))
    parts.append("\n  ")
    if context["topics"]:
        parts.append(_topics(context, errors, texts))
    slot_error = errors.get("slot")
    parts.append(
        '\n  <fieldset class="ds-fieldset" id="times"'
        + (' aria-describedby="slot-error"' if slot_error else "")
        + f'>\n  <legend class="ds-label">{esc(context["legend"])}</legend>\n  '
        + (
            '<div class="ds-validation-message" data-field="validation" id="slot-error">'
            f"{esc(slot_error)}</div>"
            if slot_error
            else ""
        )
        + f"\n{esc(context['days_html'])}\n</fieldset>\n\n"
        f'  <nav class="booking-paging" aria-label="{texts["paging"]}">\n    '
    )
    previous, following = context["previous"], context["next"]
    if previous:
        parts.append(f'<a class="ds-link" href="?fra={esc(previous)}">{texts["previous"]}</a>')
    parts.append("\n    ")
    if following:
        parts.append(f'<a class="ds-link" href="?fra={esc(following)}">{texts["next"]}</a>')
    parts.append(
        '\n  </nav>\n  <button class="ds-button" data-variant="primary" type="submit">'
        f"{texts['move'] if reservation else texts['go_on']}</button>\n</form>\n"
    )
    return chrome.page(
        request,
        title=chrome.title(context["title"], errors=errors),
        content="".join(parts),
        token=token,
    )
