"""The rest of the staff case page written in Python (issue 13): the appeal, the hearings, the
decision, the offers, the payments with the claim form, the messages and the timeline, around
what :mod:`.staff_page_html` writes (the head, the actions, the answers).

What the template engine spent on them a view (~25 ``{% translate %}``, three includes, the
``date`` and ``linebreaks`` filters, a ``{% url %}`` per payment) is Python here, with each
language's fixed texts translated once per process (:func:`.staff_page_html.per_language`).
The markup is byte for byte what ``cases/staff/case.html`` and its partials wrote (the old
page is kept in ``tests/cases/templates_before/staff_case/``; ``tests/cases/
test_cases_staff_page_html.py`` renders it beside the new one). The sections the case's
service adds (``cases.hooks.case_section``) stay templates: the page puts them between
:func:`before_sections` and :func:`after_sections`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from iktipet.cases.staff_page_html import local_text, url1, url2
from iktipet.core.csrf_html import csrf_input
from iktipet.core.html import esc as e
from iktipet.core.money import format_nok
from iktipet.core.per_language import per_language
from iktipet.messaging.thread_html import reply_form_html, thread_html


@per_language
def _texts() -> dict[str, str]:
    return {
        # the appeal
        "appeal_heading": _("Klagen gjelder"),
        "case": _("Sak"),
        "decision_label": _("Vedtak:"),
        "letter": _("Last ned vedtaksbrevet (PDF)"),
        "grounds": _("Begrunnelse for klagen"),
        "late": _("Klagen kom etter klagefristen (forvaltningsloven § 31)."),
        # the hearings
        "hearings": _("Høring"),
        "answered": _("Svar mottatt %(at)s."),
        "remarks": _("Har merknader:"),
        "no_remarks": _("Ingen merknader."),
        "has_remarks": _("Har %(body)s merknader?"),
        "no": _("Nei"),
        "yes": _("Ja"),
        "statement": _("Uttalelse fra %(body)s"),
        "register": _("Registrer svaret"),
        "from": _("fra %(body)s"),
        # the decision
        "decision": _("Vedtak"),
        "outcome": _("Utfall"),
        "decided": _("Fattet"),
        "deadline": _("Klagefrist"),
        "three_weeks": _("Tre uker fra vedtaket kom fram til parten."),
        # the offers
        "offers": _("Tilbud om plass"),
        "start": _("oppstart"),
        "answer_by": _("svarfrist"),
        # the payments
        "payments": _("Betalinger og bookinger"),
        "no_payments": _("Ingen betalinger eller bookinger for denne saken."),
        "caption": _("Betalinger i saken"),
        "concerns": _("Gjelder"),
        "amount": _("Beløp"),
        "status": _("Status"),
        "due": _("Forfall"),
        "reference": _("Referanse"),
        "with_application": _("Betalt med søknaden"),
        "refunded": _("refundert"),
        "see": _("se betalingen og refunder"),
        # the claim form
        "claim": _("Send betalingskrav"),
        "claim_help": _(
            "For et gebyr saken ikke beregner selv. Søkeren får beskjed og betaler fra Min side."
        ),
        "claim_text": _("Hva kravet gjelder"),
        "claim_amount": _("Beløp (kr)"),
        "claim_reason": _("Begrunnelse (vises for søkeren)"),
        "claim_due": _("Forfallsdato"),
        "claim_send": _("Send kravet"),
        # the messages and the timeline
        "messages": _("Meldinger med søkeren"),
        "reply": _("Skriv til søkeren"),
        "timeline": _("Historikk"),
    }


def _opening(name: str, heading: str, size: str = "md") -> str:
    """A section's opening tag and its heading (``heading``: a translation)."""
    return (
        f'<section aria-labelledby="{name}-heading" class="casework-section">\n'
        f'  <h2 class="ds-heading" data-size="{size}" id="{name}-heading">{heading}</h2>\n'
    )


def _nok(value: Any) -> str:
    """The ``nok`` filter."""
    if value is None or value == "":
        return ""
    return format_nok(int(value))


def _capfirst(value: Any) -> str:
    """``{{ value|capfirst }}``."""
    return e(capfirst(str(value)))


# --- the appeal ------------------------------------------------------------------------------


def _appeal(context: Mapping[str, Any], t: Mapping[str, str]) -> str:
    original = context["original"]
    if not original:
        return ""
    decision = context["original_decision"]
    decided = ""
    if decision:
        letter = url1("casework:decision_letter", original.pk)
        decided = (
            f'<p class="ds-paragraph">{t["decision_label"]}'
            f" {_capfirst(decision.get_outcome_display())}"
            f" ({e(local_text(decision.decided_at, 'DATE_FORMAT'))})."
            f' <a class="ds-link" href="{e(letter)}" download>{t["letter"]}</a></p>'
        )
    appeal = context["appeal"]
    grounds = ""
    if appeal:
        late = f'<p class="ds-paragraph"><strong>{t["late"]}</strong></p>' if appeal.late else ""
        grounds = (
            f'<h3 class="ds-heading" data-size="xs">{t["grounds"]}</h3>'
            f'<div class="ds-paragraph">{linebreaks(appeal.grounds, autoescape=True)}</div>{late}'
        )
    href = url1("casework:case", original.pk)
    return (
        f"\n{_opening('appeal', t['appeal_heading'], 'sm')}"
        f'  <p class="ds-paragraph"><a class="ds-link" href="{e(href)}">{t["case"]}'
        f" {e(original.reference)}: {e(original.title)}</a></p>\n"
        f"  {decided}\n"
        f"  {grounds}\n"
        "</section>\n"
    )


# --- the hearings ----------------------------------------------------------------------------


def _hearing(context: Mapping[str, Any], t: Mapping[str, str], csrf: str, hearing: Any) -> str:
    pk = e(hearing.pk)
    label = e(hearing.label)
    if hearing.answered_at:
        answered = t["answered"] % {"at": e(local_text(hearing.answered_at, "DATE_FORMAT"))}
        remarks = t["remarks"] if hearing.has_remarks else t["no_remarks"]
        response = (
            f'<div class="ds-paragraph">{linebreaks(hearing.response, autoescape=True)}</div>'
            if hearing.response
            else ""
        )
        body = f'\n    <p class="ds-paragraph">{answered} {remarks}</p>\n    {response}\n    '
    else:
        name = e(hearing.form_name)
        failed = context["failed"] == hearing.form_name
        errors = context["errors"] if failed else {}
        typed = context["typed"] if failed else {}
        remarks_error = errors.get("has_remarks")
        response_error = errors.get("response")
        described = f' aria-describedby="{name}-has_remarks-error"' if remarks_error else ""
        remarks_message = (
            '<div class="ds-validation-message" data-field="validation"'
            f' id="{name}-has_remarks-error">{e(remarks_error)}</div>'
            if remarks_error
            else ""
        )
        typed_remarks = typed.get("has_remarks") if failed else None
        response_message = (
            '<div class="ds-validation-message" data-field="validation"'
            f' id="{name}-response-error">{e(response_error)}</div>'
            if response_error
            else ""
        )
        response_invalid = (
            f' aria-invalid="true" aria-describedby="{name}-response-error"'
            if response_error
            else ""
        )
        typed_response = e(typed.get("response", "")) if failed else ""
        action = reverse("casework:hearing_response", args=[context["case"].pk, hearing.pk])
        body = (
            f'\n    <form method="post" action="{e(action)}" class="casework-form"'
            f' id="{name}-form" novalidate>{csrf}\n'
            f'      <fieldset class="ds-fieldset" id="{name}-has_remarks"{described}>\n'
            f'        <legend class="ds-label">{t["has_remarks"] % {"body": label}}</legend>\n'
            f"        {remarks_message}\n"
            '        <div class="ds-field"><input class="ds-input" type="radio"'
            f' name="has_remarks" value="no" id="hearing-{pk}-no"'
            f"{' checked' if typed_remarks == 'no' else ''}>"
            f'<label class="ds-label" for="hearing-{pk}-no">{t["no"]}</label></div>\n'
            '        <div class="ds-field"><input class="ds-input" type="radio"'
            f' name="has_remarks" value="yes" id="hearing-{pk}-yes"'
            f"{' checked' if typed_remarks == 'yes' else ''}>"
            f'<label class="ds-label" for="hearing-{pk}-yes">{t["yes"]}</label></div>\n'
            "      </fieldset>\n"
            '      <div class="ds-field">\n'
            f'        <label class="ds-label" for="{name}-response">'
            f"{t['statement'] % {'body': label}}</label>\n"
            f"        {response_message}\n"
            f'        <textarea class="ds-input" id="{name}-response" name="response" rows="4"'
            f' maxlength="10000"{response_invalid}>{typed_response}</textarea>\n'
            "      </div>\n"
            '      <button class="ds-button" type="submit" data-variant="secondary">'
            f'{t["register"]}<span class="ds-sr-only"> {t["from"] % {"body": label}}</span>'
            "</button>\n"
            "    </form>\n    "
        )
    return (
        f'\n  <section class="ds-card casework-hearing" aria-labelledby="hearing-{pk}-heading">\n'
        f'    <h3 class="ds-heading" data-size="xs" id="hearing-{pk}-heading">{label}</h3>\n'
        f"    {body}\n"
        "  </section>\n  "
    )


def _hearings(context: Mapping[str, Any], t: Mapping[str, str], csrf: str) -> str:
    hearings = context["hearings"]
    if not hearings:
        return ""
    written = "".join(_hearing(context, t, csrf, hearing) for hearing in hearings)
    return f"\n{_opening('hearings', t['hearings'])}  {written}\n</section>\n"


# --- the decision and the offers -------------------------------------------------------------


def _decision(context: Mapping[str, Any], t: Mapping[str, str]) -> str:
    decision = context["decision"]
    if not decision:
        return ""
    deadline = (
        e(local_text(decision.appeal_deadline, "DATE_FORMAT"))
        if decision.appeal_deadline
        else t["three_weeks"]
    )
    return (
        f"\n{_opening('decision', t['decision'])}"
        '  <dl class="casework-facts">\n'
        f"    <div><dt>{t['outcome']}</dt>"
        f"<dd>{_capfirst(decision.get_outcome_display())}</dd></div>\n"
        f"    <div><dt>{t['decided']}</dt><dd>{e(local_text(decision.decided_at, 'DATE_FORMAT'))},"
        f" {e(decision.decided_by_label)}</dd></div>\n"
        f"    <div><dt>{t['deadline']}</dt><dd>{deadline}</dd></div>\n"
        "  </dl>\n"
        '  <p class="ds-paragraph"><a class="ds-link"'
        f' href="{e(context["urls"]["decision_letter"])}"'
        f" download>{t['letter']}</a></p>\n"
        "</section>\n"
    )


def _offers(context: Mapping[str, Any], t: Mapping[str, str]) -> str:
    offers = context["offers"]
    if not offers:
        return ""
    items = []
    for offer in offers:
        until = (
            f" ({t['answer_by']} {e(local_text(offer.answer_by, 'DATETIME_FORMAT'))})"
            if offer.status == "offered"
            else ""
        )
        items.append(
            f"<li>{e(offer.kindergarten_name)}, {t['start']}"
            f" {e(local_text(offer.start_date, 'DATE_FORMAT'))}:"
            f" {e(offer.get_status_display())}{until}</li>"
        )
    return (
        f"\n{_opening('offers', t['offers'])}"
        f'  <ul class="ds-list">{"".join(items)}</ul>\n'
        "</section>\n"
    )


# --- the payments and the claim form ---------------------------------------------------------


def _payment(t: Mapping[str, str], item: Any) -> str:
    order = item.order
    if item.is_claim:
        claim = item.claim
        reason = f": {e(claim.reason)}" if claim.reason else ""
        concerns = f"{_capfirst(claim.get_kind_display())}{reason}"
    else:
        concerns = t["with_application"]
    refunded = (
        f'<br><span class="casework-muted">{t["refunded"]} {e(_nok(order.refunded_ore))}</span>'
        if order.refunded_ore
        else ""
    )
    due = e(local_text(order.due_date, "SHORT_DATE_FORMAT")) if order.due_date else "–"
    href = url1("payments_staff:order", order.pk)
    return (
        "<tr>\n"
        f'    <td>{e(order.title)}<br><span class="casework-muted">{concerns}</span></td>\n'
        f'    <td class="casework-amount">{e(_nok(order.amount_ore))}{refunded}</td>\n'
        f"    <td>{_capfirst(order.get_state_display())}</td>\n"
        f"    <td>{due}</td>\n"
        f'    <td><a class="ds-link" href="{e(href)}">{e(order.reference)}'
        f'<span class="ds-sr-only"> – {t["see"]}</span></a></td>\n'
        "  </tr>"
    )


def _claim_form(context: Mapping[str, Any], t: Mapping[str, str], csrf: str) -> str:
    failed = context["failed"] == "claim"
    errors = context["errors"] if failed else {}
    typed = context["typed"] if failed else {}

    def value(field: str) -> str:
        return e(typed.get(field, "")) if failed else ""

    def invalid(field: str) -> str:
        if not errors.get(field):
            return ""
        return f' aria-invalid="true" aria-describedby="claim-{field}-error"'

    def message(field: str) -> str:
        error = errors.get(field)
        if not error:
            return ""
        return (
            '<div class="ds-validation-message" data-field="validation"'
            f' id="claim-{field}-error">{e(error)}</div>'
        )

    # ``claim_due_default|date:'Y-m-d'``: a date's ISO form.
    due = value("due_date") if failed else e(context["claim_due_default"].isoformat())
    return (
        f'<form method="post" action="{e(context["urls"]["claim"])}" class="casework-form"'
        f' id="claim-form" novalidate>{csrf}\n'
        f'  <h3 class="ds-heading" data-size="xs">{t["claim"]}</h3>\n'
        f'  <p class="ds-paragraph">{t["claim_help"]}</p>\n'
        '  <div class="ds-field">\n'
        f'    <label class="ds-label" for="claim-text">{t["claim_text"]}</label>\n'
        '    <input class="ds-input" type="text" id="claim-text" name="text" maxlength="200"'
        f' value="{value("text")}"{invalid("text")}>\n'
        f"    {message('text')}\n"
        "  </div>\n"
        '  <div class="ds-field">\n'
        f'    <label class="ds-label" for="claim-amount">{t["claim_amount"]}</label>\n'
        '    <input class="ds-input casework-short" type="text" inputmode="decimal"'
        ' id="claim-amount" name="amount" maxlength="20"'
        f' value="{value("amount")}"{invalid("amount")}>\n'
        f"    {message('amount')}\n"
        "  </div>\n"
        '  <div class="ds-field">\n'
        f'    <label class="ds-label" for="claim-reason">{t["claim_reason"]}</label>\n'
        '    <textarea class="ds-input" id="claim-reason" name="reason" rows="3"'
        f' maxlength="2000"{invalid("reason")}>{value("reason")}</textarea>\n'
        f"    {message('reason')}\n"
        "  </div>\n"
        '  <div class="ds-field">\n'
        f'    <label class="ds-label" for="claim-due_date">{t["claim_due"]}</label>\n'
        '    <input class="ds-input casework-short" type="date" id="claim-due_date"'
        f' name="due_date" value="{due}"{invalid("due_date")}>\n'
        f"    {message('due_date')}\n"
        "  </div>\n"
        '  <button class="ds-button" type="submit" data-variant="secondary">'
        f"{t['claim_send']}</button>\n"
        "</form>\n"
    )


def _payments(context: Mapping[str, Any], t: Mapping[str, str], csrf: str) -> str:
    payments = context["payments"]
    if payments:
        rows = "".join(_payment(t, item) for item in payments)
        listed = (
            '<table class="ds-table casework-payments" data-size="sm">\n'
            f'  <caption class="ds-sr-only">{t["caption"]}</caption>\n'
            f'  <thead><tr><th scope="col">{t["concerns"]}</th><th scope="col">{t["amount"]}'
            f'</th><th scope="col">{t["status"]}</th><th scope="col">{t["due"]}</th>'
            f'<th scope="col">{t["reference"]}</th></tr></thead>\n'
            "  <tbody>\n"
            f"  {rows}\n"
            "  </tbody>\n"
            "</table>\n"
        )
    else:
        listed = f'<p class="ds-paragraph">{t["no_payments"]}</p>'
    claim = _claim_form(context, t, csrf) if context["may_claim"] else ""
    return f"{_opening('payments', t['payments'])}  {listed}\n  {claim}\n</section>"


# --- the page --------------------------------------------------------------------------------


def before_sections(context: Mapping[str, Any]) -> SafeString:
    """The page's content up to the service's own sections: the head, the appeal, the
    actions, the hearings, the decision, the offers, the answers and the payments."""
    t = _texts()
    csrf = csrf_input(context["csrf_token"])
    return mark_safe(  # noqa: S308 (every value escaped above)
        f"\n{context['head_html']}\n\n"
        f"{_appeal(context, t)}\n\n"
        f"{context['actions_html']}\n\n"
        f"{_hearings(context, t, csrf)}\n\n"
        f"{_decision(context, t)}\n\n"
        f"{_offers(context, t)}\n\n"
        f"{context['answers_html']}\n\n"
        f"{_payments(context, t, csrf)}\n\n"
    )


def after_sections(context: Mapping[str, Any]) -> SafeString:
    """The page's content after the service's own sections: the messages with the reply
    form, and the timeline (``timeline_html``)."""
    t = _texts()
    case = context["case"]

    def href_of(attachment: Any) -> str:
        return url2("casework:message_attachment", case.pk, attachment.pk)

    reply = ""
    if case.thread_id:
        failed = context["failed"] == "message"
        form = reply_form_html(
            action=context["urls"]["message"],
            errors=(context["errors"] or None) if failed else None,
            body=context["typed"].get("body", "") if failed else "",
            label=t["reply"],
            csrf_token=context["csrf_token"],
        )
        reply = f"\n  \n  \n  {form}\n\n  "
    return mark_safe(  # noqa: S308 (every value escaped above)
        "\n\n"
        f"{_opening('messages', t['messages'])}"
        f"  {thread_html(context['thread_messages'] or [], href_of)}\n\n"
        f"  {reply}\n"
        "</section>\n\n"
        f"{_opening('timeline', t['timeline'])}"
        '  <ol class="casework-timeline">\n'
        f"    {context['timeline_html']}\n"
        "  </ol>\n"
        "</section>\n"
    )
