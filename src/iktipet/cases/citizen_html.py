"""The applicant's case page's timeline written in Python (issue 13): per entry the template
resolved five variables, ran the ``date`` filter's format parser and an ``{% if %}``, ~0.03 ms
an entry. The same HTML as ``cases/citizen/case.html`` wrote (every value escaped as its
autoescape did; ``tests/cases/test_cases_citizen_html.py`` compares the two)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from iktipet.core.csrf_html import csrf_input
from iktipet.core.dates import format_date
from iktipet.core.html import esc as e
from iktipet.core.money import format_nok
from iktipet.core.per_language import per_language
from iktipet.messaging.thread_html import reply_form_html, thread_html

if TYPE_CHECKING:
    from iktipet.cases.timeline import TimelineEntry

#: The page shows every time in Oslo time (its ``{% timezone %}``).
OSLO = ZoneInfo("Europe/Oslo")
#: How many of the latest entries the page shows open; the rest behind "Vis hele historikken".
SHOWN = 5


def oslo_text(moment: dt.datetime | dt.date, format_name: str) -> str:
    """``moment|date:format_name`` as the pages show it (Oslo time), formatted once per
    process per language and moment (``core.dates.format_date`` on a miss): a case's times
    are the same on every view of it."""
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(OSLO)
    return _formatted(get_language(), format_name, moment)


@lru_cache(maxsize=4096)
def _formatted(language: str, format_name: str, moment: dt.datetime | dt.date) -> str:
    # ``language`` is part of the key only: format_date uses the active one.
    return format_date(moment, format_name)


@receiver(setting_changed)
def _forget_formatted(**_: Any) -> None:
    _formatted.cache_clear()


def _br(text: str) -> str:
    """``text|linebreaksbr`` (autoescape on): escaped, every line break a ``<br>``."""
    return e(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _entry(entry: TimelineEntry, language: str) -> str:
    when = entry.at
    note = f'<span class="mycase-note">{_br(entry.note)}</span>' if entry.note else ""
    iso = shown = ""
    if isinstance(when, dt.datetime):
        local = when.astimezone(OSLO)
        iso, shown = e(local.isoformat()), e(_formatted(language, "DATETIME_FORMAT", local))
    return (
        f'<li class="mycase-timeline__item"><time datetime="{iso}">{shown}</time>: '
        f"{e(entry.text)}{note}</li>"
    )


def _items(entries: Sequence[TimelineEntry], indent: str) -> SafeString:
    """The ``<li>``s with the whitespace the template's ``{% for %}`` left around each, every
    value escaped as ``format_html`` and ``linebreaksbr`` escaped it (:func:`e`, without their
    lazy-argument wrappers: ~0.03 ms an entry)."""
    language = get_language()
    return mark_safe(  # noqa: S308 (each value escaped by e)
        "".join(f"\n{indent}{_entry(entry, language)}\n{indent}" for entry in entries)
    )


def timeline_html(entries: Sequence[TimelineEntry]) -> dict[str, SafeString | int]:
    """The earlier entries (behind the details), the latest ``SHOWN`` and how many earlier."""
    earlier, latest = entries[:-SHOWN] if len(entries) > SHOWN else [], entries[-SHOWN:]
    return {
        "earlier": _items(earlier, " " * 6),
        "earlier_count": len(earlier),
        "latest": _items(latest, " " * 4),
    }


# --- the whole page ---------------------------------------------------------------------------
# The rest of ``cases/citizen/case.html`` and its partials (``_offer``, ``_decision``,
# ``_payments``), written in Python (issue 13): what the template engine spent ~4 ms a view on
# (~35 ``{% translate %}``, ~30 ``{% if %}``, four includes, ``{% url %}``s and ``date``
# filters). The same HTML byte for byte (``tests/cases/test_cases_citizen_page_html.py``
# renders the old templates, kept in ``tests/cases/templates_before/citizen_case/``, beside
# it). What is the same for everyone in a language (the translations, the addresses with a
# stand-in id) is made once per process, language and script prefix; a translation that the
# template wrote with ``{% translate %}`` is escaped as that tag escaped it, the ones it wrote
# with ``{% blocktranslate %}`` are not (only their values are), as that tag did.

#: A stand-in id: an address is reversed once with it, then the real id put in its place.
_ID = str(uuid.UUID(int=1))
_SECOND = str(uuid.UUID(int=2))


@per_language
def _texts() -> dict[str, str]:
    """The page's fixed parts in the active language. ``t_*``: as ``{% translate %}`` wrote
    them (escaped); ``b_*``: ``{% blocktranslate %}``'s translated text, filled in per view;
    ``u_*``: an address with :data:`_ID` (and :data:`_SECOND`) for the ids."""
    # Each a plain gettext call: makemessages reads no f-string.
    translated = {
        "t_back": _("Tilbake til Min side"),
        "t_reference": _("Saksnummer"),
        "t_status": _("Status"),
        "t_received": _("Mottatt"),
        "t_handled_by": _("Behandles av"),
        "t_on_behalf": _("På vegne av"),
        "t_expected": _("Forventet svar innen"),
        "t_receipt": _("Se kvitteringen for søknaden"),
        "t_late_appeal": _(
            "Klagen kom etter klagefristen. Virksomheten vurderer om den likevel skal "
            "behandles (forvaltningsloven § 31)."
        ),
        "t_request": _("Saksbehandleren ber om mer informasjon"),
        "t_write_answer": _("Skriv svaret ditt"),
        "t_history": _("Historikk"),
        "t_no_events": _("Ingen hendelser ennå."),
        "t_messages": _("Meldinger"),
        "t_answer_heading": _("Svar saksbehandleren"),
        "t_message_heading": _("Send en melding til saksbehandleren"),
        "t_answer_returns": _("Når du sender svaret, går saken tilbake til saksbehandleren."),
        "t_your_answer": _("Ditt svar"),
        "t_message": _("Melding"),
        "t_closed": _("Saken er avsluttet. Har du spørsmål, kontakt virksomheten."),
        # _offer.html
        "t_offer": _("Tilbud om barnehageplass"),
        "t_kindergarten": _("Barnehage"),
        "t_start": _("Oppstart"),
        "t_answer_by": _("Svarfrist"),
        "t_offer_expires": _(
            "Svarer du ikke innen fristen, går tilbudet ut, og plassen kan gå til en annen."
        ),
        "t_yes": _("Takk ja"),
        "t_no": _("Takk nei"),
        # _decision.html
        "t_decision": _("Vedtak"),
        "t_outcome": _("Utfall"),
        "t_decided": _("Vedtaksdato"),
        "t_decided_by": _("Fattet av"),
        "t_justification": _("Begrunnelse"),
        "t_legal_basis": _("Hjemmel"),
        "t_letter": _("Last ned vedtaksbrevet (PDF)"),
        "t_right": _("Du har rett til å klage"),
        "t_within": _(
            "Du kan klage på vedtaket innen tre uker fra du mottok det (forvaltningsloven § 29)."
        ),
        "t_deadline_passed": _(
            "Klagefristen har gått ut. Du kan fortsatt klage, men da avgjør virksomheten om "
            "klagen skal behandles (forvaltningsloven § 31)."
        ),
        "t_appeal": _("Klag på vedtaket"),
        # _payments.html
        "t_payment": _("Betaling"),
        "t_reason": _("Begrunnelse:"),
        "t_pay": _("Betal nå"),
        "t_see_payment": _("Se betalingen"),
    }
    found: dict[str, str] = {
        name: escape(text.replace("%%", "%")) for name, text in translated.items()
    }
    found.update(
        {
            "b_reference": _("%(reference)s hos %(agency)s"),
            "b_appeal_of": _("Dette er en klage på vedtaket i sak %(reference)s."),
            "b_go_to": _("Gå til sak %(reference)s"),
            "b_answer_by": _("Svar innen %(date)s."),
            # _offer.html
            "b_offer_answer_by": _("Svar innen %(date)s"),
            "b_past_offer": _("Tilbud om plass i %(kindergarten)s fra %(start)s."),
            "b_accepted": _("Du takket ja %(date)s."),
            "b_declined": _("Du takket nei %(date)s."),
            "b_expired": _("Tilbudet gikk ut %(date)s uten svar."),
            # _decision.html
            "b_appeal_deadline": _("Klagefristen er %(date)s."),
            "b_appeal_to": _(
                "Send klagen til %(agency)s. Hvis vi ikke gir deg medhold, sender vi klagen "
                "videre til %(body)s, som avgjør den."
            ),
            "b_appealed": _("Vedtaket ble påklaget %(date)s (klagesak %(reference)s)."),
            "b_go_to_appeal": _("Gå til klagesak %(reference)s"),
            # _payments.html
            "b_pay_by": _("Betales innen %(date)s."),
        }
    )
    found.update(
        {
            "u_my_page": escape(reverse("accounts:my_page")),
            "u_receipt": escape(reverse("applications:receipt", args=[_ID])),
            "u_case": escape(reverse("cases:case", args=[_ID])),
            "u_letter": escape(reverse("cases:decision_letter", args=[_ID])),
            "u_appeal": escape(reverse("cases:appeal", args=[_ID])),
            "u_answer_offer": escape(reverse("cases:answer_offer", args=[_ID, _SECOND])),
            "u_order": escape(reverse("payments:order", args=[_ID])),
            "u_attachment": reverse("cases:attachment", args=[_ID, _SECOND]),
            "u_message": reverse("cases:message", args=[_ID]),
        }
    )
    return found


def _url(texts: Mapping[str, str], name: str, first: Any, second: Any = None) -> str:
    """The address ``name`` with its ids (UUIDs: written as they are, nothing to escape)."""
    url = texts[name].replace(_ID, str(uuid.UUID(str(first))))
    return url if second is None else url.replace(_SECOND, str(uuid.UUID(str(second))))


def message_url(case_id: Any) -> str:
    """``reverse("cases:message", args=[case_id])`` without reversing it on every view."""
    return _url(_texts(), "u_message", case_id)


def _date(value: Any, format_name: str = "DATE_FORMAT") -> str:
    """``{{ value|date:format_name }}`` inside the page's ``{% timezone "Europe/Oslo" %}``."""
    if not value:
        return ""
    return e(oslo_text(value, format_name))


def _filled(text: str, **values: Any) -> str:
    """A ``{% blocktranslate with … %}``: its values escaped, its text not."""
    return text % {name: e(value) for name, value in values.items()}


def _head(texts: Mapping[str, str], context: Mapping[str, Any]) -> str:
    case = context["case"]
    agency = case.agency.name
    parts = [
        f'\n<p class="ds-paragraph"><a class="ds-link" href="{texts["u_my_page"]}">'
        f"{texts['t_back']}</a></p>\n"
        f'<h1 class="ds-heading" data-size="lg">{e(case.title)}</h1>\n'
        '<dl class="mycase-facts">\n'
        f"  <dt>{texts['t_reference']}</dt><dd>"
        f"{_filled(texts['b_reference'], reference=case.reference, agency=agency)}</dd>\n"
        f'  <dt>{texts["t_status"]}</dt><dd><span class="ds-tag" data-color="'
        f'{"info" if case.is_open else "success"}">{e(case.status_label)}'
        "</span></dd>\n"
        f"  <dt>{texts['t_received']}</dt><dd>{_date(case.received_at)}</dd>\n"
        f"  <dt>{texts['t_handled_by']}</dt><dd>{e(agency)}</dd>\n  "
    ]
    if case.is_organisation:
        parts.append(f"<dt>{texts['t_on_behalf']}</dt><dd>{e(case.party_name)}</dd>")
    parts.append("\n  ")
    if context["expected_by"] and case.is_open and not context["decision"]:
        parts.append(f"<dt>{texts['t_expected']}</dt><dd>{_date(context['expected_by'])}</dd>")
    parts.append("\n</dl>\n")
    if case.application_id:
        parts.append(
            f'<p class="ds-paragraph"><a class="ds-link" href="'
            f'{_url(texts, "u_receipt", case.application_id)}">{texts["t_receipt"]}</a></p>'
        )
    parts.append("\n")
    appeal_case = context["appeal_case"]
    if appeal_case:
        original = appeal_case.decision.case
        reference = original.reference
        late = f'<p class="ds-paragraph">{texts["t_late_appeal"]}</p>' if appeal_case.late else ""
        parts.append(
            '\n<div class="ds-alert" data-color="info">\n'
            f'  <p class="ds-paragraph">{_filled(texts["b_appeal_of"], reference=reference)}\n'
            f'    <a class="ds-link" href="{_url(texts, "u_case", appeal_case.decision.case_id)}">'
            f"{_filled(texts['b_go_to'], reference=reference)}</a></p>\n"
            f"  {late}\n"
            "</div>\n"
        )
    parts.append("\n\n")
    if context["open_offer"] or context["past_offers"] or context["offer_error"]:
        parts.append(_offer(texts, context))
    parts.append("\n\n")
    request = context["information_request"]
    if request:
        answer_by = ""
        if case.waiting_until:
            date = _date(case.waiting_until, "SHORT_DATE_FORMAT")
            answer_by = (
                f'<p class="ds-paragraph"><strong>{_filled(texts["b_answer_by"], date=date)}'
                "</strong></p>"
            )
        parts.append(
            '\n<section class="ds-alert mycase-request" data-color="warning"'
            ' aria-labelledby="request-heading">\n'
            f'  <h2 class="ds-heading" data-size="sm" id="request-heading">{texts["t_request"]}'
            "</h2>\n"
            f'  <div class="ds-paragraph">{linebreaks(request.body, autoescape=True)}</div>\n'
            f"  {answer_by}\n"
            f'  <p class="ds-paragraph"><a class="ds-link" href="#svar">'
            f"{texts['t_write_answer']}</a></p>\n"
            "</section>\n"
        )
    parts.append("\n\n")
    if context["decision"]:
        parts.append(_decision(texts, context))
    parts.append("\n")
    if context["payments"]:
        parts.append(_payments(texts, context["payments"]))
    parts.append("\n\n")
    return "".join(parts)


def _offer(texts: Mapping[str, str], context: Mapping[str, Any]) -> str:
    """``cases/citizen/_offer.html``."""
    case, offer, error = context["case"], context["open_offer"], context["offer_error"]
    parts = [
        '<section class="mycase-section" aria-labelledby="tilbud">\n'
        f'  <h2 class="ds-heading" data-size="sm" id="tilbud" tabindex="-1">{texts["t_offer"]}'
        "</h2>\n  "
    ]
    if error:
        parts.append(
            '<div class="ds-alert" data-color="danger" role="alert"><p class="ds-paragraph">'
            f"{e(error)}</p></div>"
        )
    parts.append("\n  ")
    if offer:
        answer_by = _date(offer.answer_by, "SHORT_DATE_FORMAT")
        parts.append(
            '\n  <div class="ds-card mycase-card" data-variant="tinted">\n'
            '    <dl class="mycase-facts">\n'
            f"      <dt>{texts['t_kindergarten']}</dt><dd>"
            f"{e(offer.kindergarten_name)}</dd>\n"
            f"      <dt>{texts['t_start']}</dt><dd>{_date(offer.start_date)}</dd>\n"
            f"      <dt>{texts['t_answer_by']}</dt><dd>"
            f"{_filled(texts['b_offer_answer_by'], date=answer_by)}</dd>\n"
            "    </dl>\n"
            f'    <p class="ds-paragraph">{texts["t_offer_expires"]}</p>\n'
            '    <form method="post" action="'
            f'{_url(texts, "u_answer_offer", case.pk, offer.pk)}" class="mycase-actions">\n'
            f"      {csrf_input(context['csrf_token'])}\n"
            '      <button class="ds-button" data-variant="primary" type="submit" name="accept"'
            f' value="yes">{texts["t_yes"]}</button>\n'
            '      <button class="ds-button" data-variant="secondary" type="submit"'
            f' name="accept" value="no">{texts["t_no"]}</button>\n'
            "    </form>\n"
            "  </div>\n  "
        )
    parts.append("\n  ")
    for past in context["past_offers"]:
        offered = _filled(
            texts["b_past_offer"],
            kindergarten=past.kindergarten_name,
            start=_date(past.start_date),
        )
        if past.status == "accepted":
            answer = _filled(texts["b_accepted"], date=_date(past.answered_at, "SHORT_DATE_FORMAT"))
        elif past.status == "declined":
            answer = _filled(texts["b_declined"], date=_date(past.answered_at, "SHORT_DATE_FORMAT"))
        else:
            answer = _filled(texts["b_expired"], date=_date(past.answer_by, "SHORT_DATE_FORMAT"))
        parts.append(
            '\n  <div class="ds-card mycase-card">\n'
            f'    <p class="ds-paragraph">{offered}</p>\n'
            f'    <p class="ds-paragraph"><strong>{answer}</strong></p>\n'
            "  </div>\n  "
        )
    parts.append("\n</section>\n")
    return "".join(parts)


def _decision(texts: Mapping[str, str], context: Mapping[str, Any]) -> str:
    """``cases/citizen/_decision.html``."""
    case, decision = context["case"], context["decision"]
    deadline = ""
    if decision.appeal_deadline:
        date = _date(decision.appeal_deadline, "SHORT_DATE_FORMAT")
        deadline = (
            '<p class="ds-paragraph"><strong>'
            f"{_filled(texts['b_appeal_deadline'], date=date)}</strong></p>"
        )
    appeal_to = _filled(texts["b_appeal_to"], body=decision.appeal_body, agency=case.agency.name)
    parts = [
        '<section class="mycase-section" aria-labelledby="vedtak">\n'
        f'  <h2 class="ds-heading" data-size="sm" id="vedtak" tabindex="-1">{texts["t_decision"]}'
        "</h2>\n"
        '  <div class="ds-card mycase-card" data-variant="tinted">\n'
        '    <dl class="mycase-facts">\n'
        f"      <dt>{texts['t_outcome']}</dt><dd><strong>"
        f"{e(capfirst(decision.get_outcome_display()))}</strong></dd>\n"
        f"      <dt>{texts['t_decided']}</dt><dd>{_date(decision.decided_at)}</dd>\n"
        f"      <dt>{texts['t_decided_by']}</dt><dd>"
        f"{e(decision.decided_by_label)}</dd>\n"
        "    </dl>\n"
        f'    <h3 class="ds-heading" data-size="xs">{texts["t_justification"]}</h3>\n'
        '    <div class="ds-paragraph mycase-text">'
        f"{linebreaks(decision.justification, autoescape=True)}</div>\n"
        f'    <h3 class="ds-heading" data-size="xs">{texts["t_legal_basis"]}</h3>\n'
        '    <div class="ds-paragraph mycase-text">'
        f"{linebreaks(decision.legal_basis, autoescape=True)}</div>\n"
        f'    <p class="ds-paragraph"><a class="ds-link" href="'
        f'{_url(texts, "u_letter", case.pk)}" download>{texts["t_letter"]}</a></p>\n'
        "  </div>\n"
        f'  <h3 class="ds-heading" data-size="xs" id="klage">{texts["t_right"]}</h3>\n'
        f'  <p class="ds-paragraph">{texts["t_within"]}</p>\n'
        f"  {deadline}\n"
        f'  <p class="ds-paragraph">{appeal_to}</p>\n  '
    ]
    for item in context["appeals"]:
        reference = item.case.reference
        appealed = _filled(
            texts["b_appealed"],
            reference=reference,
            date=_date(item.submitted_at, "SHORT_DATE_FORMAT"),
        )
        parts.append(
            f'\n  <p class="ds-paragraph">{appealed} <a class="ds-link" href="'
            f'{_url(texts, "u_case", item.case_id)}">'
            f"{_filled(texts['b_go_to_appeal'], reference=reference)}</a></p>\n  "
        )
    parts.append("\n  ")
    if context["may_appeal"]:
        passed = (
            f'<p class="ds-paragraph">{texts["t_deadline_passed"]}</p>'
            if context["appeal_deadline_passed"]
            else ""
        )
        parts.append(
            f"\n  {passed}\n"
            '  <p class="ds-paragraph"><a class="ds-button" data-variant="secondary" href="'
            f'{_url(texts, "u_appeal", case.pk)}">{texts["t_appeal"]}</a></p>\n  '
        )
    parts.append("\n</section>\n")
    return "".join(parts)


def _payments(texts: Mapping[str, str], payments: Sequence[Any]) -> str:
    """``cases/citizen/_payments.html``."""
    items = []
    for item in payments:
        order, claim = item.order, item.claim
        title = e(order.title)
        payable = order.is_payable
        pay_by = ""
        if payable and order.due_date:
            pay_by = ". " + _filled(texts["b_pay_by"], date=_date(order.due_date))
        reason = claim.reason if claim is not None else ""
        reason_line = (
            f'<p class="ds-paragraph">{texts["t_reason"]} {e(reason)}</p>' if reason else ""
        )
        amount = "" if order.amount_ore in (None, "") else format_nok(int(order.amount_ore))
        items.append(
            '<li class="mycase-payment">\n'
            f'      <p class="ds-paragraph"><strong>{title}</strong>: {e(amount)} – '
            f"{e(order.get_state_display())}{pay_by}</p>\n"
            f"      {reason_line}\n"
            f'      <p class="ds-paragraph"><a class="ds-link" href="'
            f'{_url(texts, "u_order", order.pk)}">'
            f"{texts['t_pay'] if payable else texts['t_see_payment']}"
            f'<span class="ds-sr-only"> – {title}</span></a></p>\n'
            "    </li>"
        )
    return (
        '<section class="mycase-section" aria-labelledby="payments-heading">\n'
        f'  <h2 class="ds-heading" data-size="sm" id="payments-heading">{texts["t_payment"]}'
        "</h2>\n"
        '  <ul class="ds-list--unstyled mycase-payments">\n'
        f"    {''.join(items)}\n"
        "  </ul>\n"
        "</section>\n"
    )


def _timeline_section(texts: Mapping[str, str], timeline: Mapping[str, Any] | None) -> str:
    parts = [
        '\n\n<section class="mycase-section" aria-labelledby="timeline-heading">\n'
        f'  <h2 class="ds-heading" data-size="sm" id="timeline-heading">{texts["t_history"]}'
        "</h2>\n  "
    ]
    if timeline:
        earlier = ""
        count = timeline["earlier_count"]
        if count:
            summary = ngettext(
                "Vis %(counter)s tidligere hendelse", "Vis %(counter)s tidligere hendelser", count
            ) % {"counter": e(localize(count))}
            earlier = (
                '\n  <details class="ds-details mycase-earlier">\n'
                f"    <summary>{summary}</summary>\n"
                '    <ol class="ds-list--unstyled mycase-timeline">\n'
                f"      {timeline['earlier']}\n"
                "    </ol>\n"
                "  </details>\n  "
            )
        parts.append(
            f"\n  \n  {earlier}\n"
            '  <ol class="ds-list--unstyled mycase-timeline">\n'
            f"    {timeline['latest']}\n"
            "  </ol>\n  "
        )
    else:
        parts.append(f'<p class="ds-paragraph">{texts["t_no_events"]}</p>')
    parts.append("\n</section>\n\n")
    return "".join(parts)


def _tail(texts: Mapping[str, str], context: Mapping[str, Any]) -> str:
    case = context["case"]
    case_id = str(case.pk)
    attachment = texts["u_attachment"].replace(_ID, case_id)

    def href_of(file: Any) -> str:
        return attachment.replace(_SECOND, str(uuid.UUID(str(file.pk))))

    with timezone.override(OSLO):  # as the page's {% timezone %} around the thread was
        thread = thread_html(context["thread_messages"], href_of)
    parts = [
        _timeline_section(texts, context["timeline"]),
        '<section class="mycase-section" aria-labelledby="meldinger">\n'
        '  <h2 class="ds-heading" data-size="sm" id="meldinger" tabindex="-1">'
        f"{texts['t_messages']}</h2>\n"
        f"  {thread}\n\n"
        "</section>\n\n",
    ]
    if case.is_open:
        asked = bool(context["information_request"])
        heading = texts["t_answer_heading"] if asked else texts["t_message_heading"]
        returns = f'<p class="ds-paragraph">{texts["t_answer_returns"]}</p>' if asked else ""
        form = reply_form_html(
            action=context["reply_action"],
            errors=context["reply_errors"] or None,
            body=context["reply_body"],
            label=mark_safe(texts["t_your_answer"] if asked else texts["t_message"]),  # noqa: S308
            csrf_token=context["csrf_token"],
        )
        parts.append(
            '<section class="mycase-section" aria-labelledby="svar">\n'
            f'  <h2 class="ds-heading" data-size="sm" id="svar" tabindex="-1">{heading}</h2>\n'
            f"  {returns}\n"
            "  \n"
            f"  {form}\n\n"
            "</section>"
        )
    else:
        email = case.agency.email
        link = f' <a class="ds-link" href="mailto:{e(email)}">{e(email)}</a>' if email else ""
        parts.append(f'\n<p class="ds-paragraph">{texts["t_closed"]}{link}</p>')
    parts.append("\n")
    return "".join(parts)


def case_page_html(context: Mapping[str, Any]) -> tuple[SafeString, SafeString]:
    """The page's content before the other apps' sections (``context["sections"]``, still
    included by the template) and after them, from the view's context (``csrf_token``: the
    page's one token)."""
    texts = _texts()
    return (
        mark_safe(_head(texts, context)),  # noqa: S308 (every value escaped above)
        mark_safe(_tail(texts, context)),  # noqa: S308
    )
