"""The staff case page's head, its actions and the application's answers as HTML, written in
Python (issue 13).

These three parts of ``cases/staff/case.html`` cost the template engine ~40 ``{% translate %}``,
~50 ``{% if %}``, three includes and two ``date`` filters a view (the actions alone: a form per
allowed action, each with its fields' error states). The markup is the same, byte for byte, as
the template parts it replaced (``tests/cases/test_cases_staff_page_html.py`` renders the old
page, kept in ``tests/cases/templates_before/staff_case/``, beside the new one over every form
refused with every error, in Norwegian and English). Which actions are offered is decided in
``views.staff.case_context`` as before; this module only writes what the context holds.

Every value is escaped as ``{{ value }}`` escapes it (:func:`e`): names, titles, answers,
typed text and errors are people's words.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
import zoneinfo
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from iktipet.core.csrf_html import csrf_input
from iktipet.core.dates import format_date
from iktipet.core.html import esc as e
from iktipet.core.per_language import per_language

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")

#: A stand-in id: an address with two ids is reversed once per name with these, then the
#: real ids are put in their places (``{% url %}`` reversed on every view: ~0.03 ms each).
_FIRST = str(uuid.UUID(int=1))
_SECOND = "00000000-0000-0000-0000-000000000002"
_reversed: dict[tuple[str, str], str] = {}


def url2(name: str, first: Any, second: Any) -> str:
    """``reverse(name, args=[first, second])`` for ids that reverse() writes as they are
    (UUIDs, workflow ids: letters, digits, ``_`` and ``-``)."""
    text = str(second)
    if not text.replace("_", "").replace("-", "").isalnum() or not text.isascii():
        return reverse(name, args=[first, second])
    key = (get_script_prefix(), name)
    found = _reversed.get(key)
    if found is None:
        found = _reversed[key] = reverse(name, args=[_FIRST, _SECOND])
    return found.replace(_FIRST, str(first)).replace(_SECOND, text)


def url1(name: str, first: Any) -> str:
    """``reverse(name, args=[first])`` for a UUID."""
    key = (get_script_prefix(), name)
    found = _reversed.get(key)
    if found is None:
        found = _reversed[key] = reverse(name, args=[_FIRST])
    return found.replace(_FIRST, str(first))


def _url0(name: str) -> str:
    key = (get_script_prefix(), name)
    found = _reversed.get(key)
    if found is None:
        found = _reversed[key] = reverse(name)
    return found


@receiver(setting_changed)
def _forget_texts(**_: Any) -> None:
    formatted.cache_clear()


#: The page's fixed texts, translated once per process per language (each a plain gettext
#: call, where makemessages finds it): ``texts()["Sak"]``.
@per_language
def texts() -> dict[str, str]:
    return {
        "Sak %(reference)s": _("Sak %(reference)s"),
        "Tilbake til innboksen": _("Tilbake til innboksen"),
        "Handlingen ble ikke utført. Rett opp følgende:": _(
            "Handlingen ble ikke utført. Rett opp følgende:"
        ),
        "Sak": _("Sak"),
        "Part": _("Part"),
        "Status": _("Status"),
        "Saksbehandler": _("Saksbehandler"),
        "org.nr.": _("org.nr."),
        "Ikke tildelt": _("Ikke tildelt"),
        "Mottatt": _("Mottatt"),
        "Frist for behandling": _("Frist for behandling"),
        "Overtid": _("Overtid"),
        "Ingen frist": _("Ingen frist"),
        "Svarfrist for søker": _("Svarfrist for søker"),
        "Søknadsreferanse": _("Søknadsreferanse"),
        "Tildel meg": _("Tildel meg"),
        "Frigi saken": _("Frigi saken"),
        "Tildel til saksbehandler": _("Tildel til saksbehandler"),
        "Velg saksbehandler": _("Velg saksbehandler"),
        "Tildel": _("Tildel"),
        "Merknad til «%(action)s» (valgfritt)": _("Merknad til «%(action)s» (valgfritt)"),
        "Be om mer informasjon": _("Be om mer informasjon"),
        "Hva trenger dere fra søkeren?": _("Hva trenger dere fra søkeren?"),
        "Vedlegg (valgfritt)": _("Vedlegg (valgfritt)"),
        "Svarfrist (dager)": _("Svarfrist (dager)"),
        "Send forespørselen": _("Send forespørselen"),
        "Send på høring": _("Send på høring"),
        "Merknad (valgfritt)": _("Merknad (valgfritt)"),
        "Fatt vedtak": _("Fatt vedtak"),
        "Utfall": _("Utfall"),
        "Begrunnelse (forvaltningsloven § 24)": _("Begrunnelse (forvaltningsloven § 24)"),
        "Hjemmel": _("Hjemmel"),
        "Klageinstans": _("Klageinstans"),
        "Fatt vedtaket": _("Fatt vedtaket"),
        "Gi tilbud om barnehageplass": _("Gi tilbud om barnehageplass"),
        "Oppstart": _("Oppstart"),
        "Send tilbudet": _("Send tilbudet"),
        "Barnehage (søkerens ønsker i prioritert rekkefølge)": _(
            "Barnehage (søkerens ønsker i prioritert rekkefølge)"
        ),
        "Søknaden har ingen ønskede barnehager.": _("Søknaden har ingen ønskede barnehager."),
        "Handlinger": _("Handlinger"),
        "Ingen handlinger er mulige fra denne statusen.": _(
            "Ingen handlinger er mulige fra denne statusen."
        ),
        "Søknaden": _("Søknaden"),
        "Vedlegg": _("Vedlegg"),
        "Saken har ingen søknadsopplysninger.": _("Saken har ingen søknadsopplysninger."),
        "Ingen vedlegg.": _("Ingen vedlegg."),
    }


def local_text(value: Any, name: str) -> str:
    """``{{ value|date:name }}`` inside the page's ``{% timezone "Europe/Oslo" %}``, made once
    per process per language and value (a case's times are the same on every view of it;
    ``format_date`` is ~35 µs a time)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = value.astimezone(OSLO)
    return formatted(get_language(), name, value)


@lru_cache(maxsize=4096)
def formatted(language: str | None, name: str, value: Any) -> str:
    """``format_date(value, name)`` kept per process: ``language`` (the active one) is part
    of the key only. Aware values are all in Oslo time here, so equal keys are the same
    text."""
    return format_date(value, name)


class _Form:
    """One action form's state: its name (``failed`` matches it after a refusal), its errors
    and what was typed, when it is the refused one."""

    def __init__(self, context: Mapping[str, Any], name: str) -> None:
        self.name = name
        self.failed = context["failed"] == name
        self.errors: Mapping[str, Any] = context["errors"] if self.failed else {}
        self.typed: Any = context["typed"] if self.failed else {}

    def typed_value(self, field: str) -> str:
        return e(self.typed.get(field, "")) if self.failed else ""

    def invalid(self, field: str) -> str:
        if not self.errors.get(field):
            return ""
        return f' aria-invalid="true" aria-describedby="{self.name}-{field}-error"'

    def textarea(self, field: str, rows: int, maxlength: int, *, invalid: bool = True) -> str:
        return (
            f'<textarea class="ds-input" id="{e(self.name)}-{field}" name="{field}"'
            f' rows="{rows}" maxlength="{maxlength}"{self.invalid(field) if invalid else ""}>'
            f"{self.typed_value(field)}</textarea>"
        )

    def field(self, field: str, label: str, control: str, *, message: bool = True) -> str:
        """A ``ds-field`` block: the label (a translation, not escaped), the control, the
        field's error when the template had its line."""
        error = f"      {self.message(field)}\n" if message else ""
        return (
            '    <div class="ds-field">\n'
            f'      <label class="ds-label" for="{e(self.name)}-{field}">{label}</label>\n'
            f"      {control}\n{error}"
            "    </div>\n"
        )

    def message(self, field: str) -> str:
        error = self.errors.get(field)
        if not error:
            return ""
        return (
            '<div class="ds-validation-message" data-field="validation"'
            f' id="{self.name}-{field}-error">{e(error)}</div>'
        )


def _full_name(user: Any) -> str:
    return e(user.get_full_name() or user.get_username())


# --- the head: the link back, the error summary, the title and the facts -----------------------


def head_html(context: Mapping[str, Any]) -> SafeString:
    t = texts()
    case = context["case"]
    failed = context["failed"]
    back = t["Tilbake til innboksen"]
    parts = [
        f'<p class="ds-paragraph"><a class="ds-link" href="{e(_url0("casework:inbox"))}'
        f'?virksomhet={e(case.agency.slug)}">{back}</a></p>\n'
    ]
    if failed:
        heading = t["Handlingen ble ikke utført. Rett opp følgende:"]
        links = "".join(
            f'<li><a class="ds-link" href="#{e(failed)}-'
            f'{"form" if field == "__all__" else e(field)}">{e(text)}</a></li>'
            for field, text in context["errors"].items()
        )
        parts.append(
            '\n<div class="ds-error-summary" role="alert" aria-labelledby="error-heading"'
            ' tabindex="-1" id="error-summary">\n'
            f'  <h2 class="ds-heading" data-size="xs" id="error-heading">{heading}</h2>\n'
            f'  <ul class="ds-list">\n    {links}\n  </ul>\n</div>\n'
        )
    case_label = t["Sak"]
    parts.append(
        f'\n<h1 class="ds-heading" data-size="lg">{case_label} {e(case.reference)}:'
        f" {e(case.title)}</h1>\n"
    )
    party, status, assignee_label = t["Part"], t["Status"], t["Saksbehandler"]
    organisation = ""
    if case.is_organisation:
        orgnr = t["org.nr."]
        organisation = f" ({orgnr} {e(case.party_identifier)})"
    assignee = _full_name(case.assignee) if case.assignee else t["Ikke tildelt"]
    received, due_label = t["Mottatt"], t["Frist for behandling"]
    if case.due_date:
        due = e(local_text(case.due_date, "DATE_FORMAT"))
        if case.is_open and case.due_date < context["today"]:
            overdue = t["Overtid"]
            due += (
                f' <strong class="ds-tag casework-overdue" data-color="danger">{overdue}</strong>'
            )
    else:
        due = t["Ingen frist"]
    waiting = ""
    if case.waiting_until:
        waiting_label = t["Svarfrist for søker"]
        waiting = (
            f"<div><dt>{waiting_label}</dt>"
            f"<dd>{e(local_text(case.waiting_until, 'DATETIME_FORMAT'))}</dd></div>"
        )
    application = ""
    if case.application:
        reference = t["Søknadsreferanse"]
        application = f"<div><dt>{reference}</dt><dd>{e(case.application.reference)}</dd></div>"
    parts.append(
        '<dl class="casework-facts">\n'
        f"  <div><dt>{party}</dt><dd>{e(case.party_name)}{organisation}</dd></div>\n"
        f"  <div><dt>{status}</dt><dd>{e(case.status_label)}</dd></div>\n"
        f"  <div><dt>{assignee_label}</dt><dd>{assignee}</dd></div>\n"
        f"  <div><dt>{received}</dt>"
        f"<dd>{e(local_text(case.received_at, 'DATETIME_FORMAT'))}</dd></div>\n"
        f"  <div><dt>{due_label}</dt><dd>{due}</dd></div>\n"
        f"  {waiting}\n"
        f"  {application}\n"
        "</dl>"
    )
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)


# --- the actions -------------------------------------------------------------------------------


def _assignment(context: Mapping[str, Any], t: Mapping[str, str], csrf: str, user_id: Any) -> str:
    case = context["case"]
    urls = context["urls"]
    is_admin = context["is_admin"]
    button = '<button class="ds-button" type="submit" data-variant="secondary">'
    assign_me = ""
    if case.assignee_id != user_id:
        label = t["Tildel meg"]
        assign_me = (
            f'\n    <form method="post" action="{e(urls["assign_me"])}">{csrf}'
            f"{button}{label}</button></form>\n    "
        )
    release = ""
    if case.assignee_id == user_id or (is_admin and case.assignee_id):
        label = t["Frigi saken"]
        release = (
            f'\n    <form method="post" action="{e(urls["release"])}">{csrf}'
            f"{button}{label}</button></form>\n    "
        )
    written = f'  <div class="casework-actions">\n    {assign_me}\n    {release}\n  </div>\n  '
    assignable = context["assignable"]
    if is_admin and assignable:
        form = _Form(context, "assign")
        label, choose, submit = t["Tildel til saksbehandler"], t["Velg saksbehandler"], t["Tildel"]
        options = "".join(
            f'<option value="{e(worker.pk)}"'
            f"{' selected' if worker.pk == case.assignee_id else ''}>{_full_name(worker)}</option>"
            for worker in assignable
        )
        written += (
            f'\n  <form method="post" action="{e(urls["assign"])}" class="casework-form"'
            f' id="assign-form">{csrf}\n'
            '    <div class="ds-field">\n'
            f'      <label class="ds-label" for="assign-assignee">{label}</label>\n'
            '      <select class="ds-input" id="assign-assignee" name="assignee"'
            f"{form.invalid('assignee')}>\n"
            f'        <option value="">{choose}</option>\n'
            f"        {options}\n"
            "      </select>\n"
            f"      {form.message('assignee')}\n"
            "    </div>\n"
            f'    <button class="ds-button" type="submit" data-variant="secondary">{submit}'
            "</button>\n  </form>\n  "
        )
    return written


def _transition(
    context: Mapping[str, Any], t: Mapping[str, str], csrf: str, transition: Any
) -> str:
    case = context["case"]
    form = _Form(context, f"transition-{transition.id}")
    action = url2("casework:transition", case.pk, transition.id)
    label = transition.label.get()
    note = t["Merknad til «%(action)s» (valgfritt)"] % {"action": e(label)}
    return (
        f'\n  <form method="post" action="{e(action)}" class="casework-form"'
        f' id="transition-{e(transition.id)}-form">{csrf}\n'
        f"{form.field('note', note, form.textarea('note', 2, 10000, invalid=False), message=False)}"
        f'    <button class="ds-button" type="submit">{e(label)}</button>\n  </form>\n  '
    )


def _request_information(context: Mapping[str, Any], t: Mapping[str, str], csrf: str) -> str:
    form = _Form(context, "request_information")
    heading, body, files = (
        t["Be om mer informasjon"],
        t["Hva trenger dere fra søkeren?"],
        t["Vedlegg (valgfritt)"],
    )
    days, send = t["Svarfrist (dager)"], t["Send forespørselen"]
    answer_days = (
        form.typed_value("answer_days") if form.failed else e(context["default_answer_days"])
    )
    files_input = (
        '<input class="ds-input" type="file" id="request_information-files" name="files"'
        ' multiple accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"'
        f"{form.invalid('files')}>"
    )
    days_input = (
        '<input class="ds-input casework-short" type="number" inputmode="numeric" min="1"'
        ' max="90" id="request_information-answer_days" name="answer_days"'
        f' value="{answer_days}"{form.invalid("answer_days")}>'
    )
    return (
        f'\n  <form method="post" action="{e(context["urls"]["request_information"])}"'
        ' enctype="multipart/form-data" class="casework-form" id="request_information-form"'
        f" novalidate>{csrf}\n"
        f'    <h3 class="ds-heading" data-size="xs">{heading}</h3>\n'
        f"{form.field('body', body, form.textarea('body', 5, 10000))}"
        f"{form.field('files', files, files_input)}"
        f"{form.field('answer_days', days, days_input)}"
        f'    <button class="ds-button" type="submit">{send}</button>\n  </form>\n  '
    )


def _hearing(context: Mapping[str, Any], t: Mapping[str, str], csrf: str) -> str:
    form = _Form(context, "hearing")
    heading, note = t["Send på høring"], t["Merknad (valgfritt)"]
    return (
        f'\n  <form method="post" action="{e(context["urls"]["hearing"])}" class="casework-form"'
        f' id="hearing-form">{csrf}\n'
        f'    <h3 class="ds-heading" data-size="xs">{heading}</h3>\n'
        f"{form.field('note', note, form.textarea('note', 2, 10000, invalid=False), message=False)}"
        '    <button class="ds-button" type="submit">'
        f"{e(context['hearing_transition'].label.get())}</button>\n  </form>\n  "
    )


def _decide(context: Mapping[str, Any], t: Mapping[str, str], csrf: str) -> str:
    form = _Form(context, "decide")
    heading, outcome, justification = (
        t["Fatt vedtak"],
        t["Utfall"],
        t["Begrunnelse (forvaltningsloven § 24)"],
    )
    legal_basis, appeal_body, submit = t["Hjemmel"], t["Klageinstans"], t["Fatt vedtaket"]
    if form.failed or context["outcomes"] is not outcomes():
        chosen = form.typed.get("outcome", "") if form.failed else None
        outcome_radios = _outcome_radios(context["outcomes"], chosen)
    else:  # none chosen: the same for everyone in a language
        outcome_radios = _unchosen_outcomes()
    body = form.typed_value("appeal_body") if form.failed else e(context["default_appeal_body"])
    return (
        f'\n  <form method="post" action="{e(context["urls"]["decide"])}" class="casework-form"'
        f' id="decide-form" novalidate>{csrf}\n'
        f'    <h3 class="ds-heading" data-size="xs">{heading}</h3>\n'
        f'    <fieldset class="ds-fieldset" id="decide-outcome"{form.invalid("outcome")}>\n'
        f'      <legend class="ds-label">{outcome}</legend>\n'
        f"      {form.message('outcome')}\n"
        f"      {outcome_radios}\n"
        "    </fieldset>\n"
        f"{form.field('justification', justification, form.textarea('justification', 8, 20000))}"
        f"{form.field('legal_basis', legal_basis, form.textarea('legal_basis', 2, 2000))}"
        + form.field(
            "appeal_body",
            appeal_body,
            '<input class="ds-input" type="text" id="decide-appeal_body" name="appeal_body"'
            f' maxlength="200" value="{body}"{form.invalid("appeal_body")}>',
        )
        + f'    <button class="ds-button" type="submit">{submit}</button>\n  </form>\n  '
    )


@per_language
def outcomes() -> list[tuple[str, str]]:
    """The decision's outcomes with their labels in the current language, made once per
    process per language (each lazy label is a gettext call when written)."""
    from iktipet.cases.models import Decision

    return [(value, str(label)) for value, label in Decision.Outcome.choices]


def _outcome_radios(choices: list[tuple[str, str]], chosen: str | None) -> str:
    """The decision form's outcome choices, ``chosen`` checked (None: none)."""
    return "".join(
        f'\n      <div class="ds-field"><input class="ds-input" type="radio" name="outcome"'
        f' value="{e(value)}" id="decide-outcome-{e(value)}"'
        f"{' checked' if chosen == value else ''}>"
        f'<label class="ds-label" for="decide-outcome-{e(value)}">{e(capfirst(str(label)))}</label>'
        "</div>\n      "
        for value, label in choices
    )


@per_language
def _unchosen_outcomes() -> str:
    return _outcome_radios(outcomes(), None)


def _offer(context: Mapping[str, Any], t: Mapping[str, str], csrf: str) -> str:
    form = _Form(context, "offer")
    heading, start, submit = (
        t["Gi tilbud om barnehageplass"],
        t["Oppstart"],
        t["Send tilbudet"],
    )
    kindergartens = context["kindergartens"]
    if kindergartens:
        legend = t["Barnehage (søkerens ønsker i prioritert rekkefølge)"]
        typed = form.typed.get("kindergarten", "") if form.failed else None
        choices = "".join(
            f'\n      <div class="ds-field"><input class="ds-input" type="radio"'
            f' name="kindergarten" value="{e(value)}" id="offer-kindergarten-{counter}"'
            f"{' checked' if form.failed and typed == value else ''}>"
            f'<label class="ds-label" for="offer-kindergarten-{counter}">{counter}.'
            f" {e(name)}</label></div>\n      "
            for counter, (value, name) in enumerate(kindergartens, start=1)
        )
        choose = (
            '\n    <fieldset class="ds-fieldset" id="offer-kindergarten"'
            f"{form.invalid('kindergarten')}>\n"
            f'      <legend class="ds-label">{legend}</legend>\n'
            f"      {form.message('kindergarten')}\n"
            f"      {choices}\n"
            "    </fieldset>\n    "
        )
    else:
        none = t["Søknaden har ingen ønskede barnehager."]
        choose = f'<p class="ds-paragraph">{none}</p>'
    start_input = (
        '<input class="ds-input casework-short" type="date" id="offer-start_date"'
        f' name="start_date" value="{form.typed_value("start_date")}"'
        f"{form.invalid('start_date')}>"
    )
    return (
        f'\n  <form method="post" action="{e(context["urls"]["offer"])}" class="casework-form"'
        f' id="offer-form" novalidate>{csrf}\n'
        f'    <h3 class="ds-heading" data-size="xs">{heading}</h3>\n'
        f"    {choose}\n"
        f"{form.field('start_date', start, start_input)}"
        f'    <button class="ds-button" type="submit">{submit}</button>\n  </form>\n  '
    )


def actions_html(context: Mapping[str, Any], csrf_token: Any, user_id: Any) -> SafeString:
    """The "Handlinger" section: the forms of the actions ``case_context`` offers the
    viewer (``user_id``: who is looking, for "Tildel meg" and "Frigi saken")."""
    csrf = csrf_input(csrf_token)
    t = texts()
    failed = context["failed"]
    heading = t["Handlinger"]
    alert = ""
    if failed and context["error_message"]:
        alert = (
            f'<div class="ds-alert" data-color="danger" id="{e(failed)}-form-alert">'
            f'<p class="ds-paragraph">{e(context["error_message"])}</p></div>'
        )
    generic = context["generic_transitions"]
    transitions = "".join(_transition(context, t, csrf, transition) for transition in generic)
    request_information = (
        _request_information(context, t, csrf) if context["request_information"] else ""
    )
    hearing = _hearing(context, t, csrf) if context["hearing_transition"] else ""
    decide = _decide(context, t, csrf) if context["decide_transition"] else ""
    offer = _offer(context, t, csrf) if context["offer_transition"] else ""
    nothing = ""
    if not (
        generic
        or context["request_information"]
        or context["hearing_transition"]
        or context["decide_transition"]
        or context["offer_transition"]
    ):
        none = t["Ingen handlinger er mulige fra denne statusen."]
        nothing = f'\n  <p class="ds-paragraph">{none}</p>\n  '
    return mark_safe(  # noqa: S308 (every value escaped above)
        '<section aria-labelledby="actions-heading" class="casework-section">\n'
        f'  <h2 class="ds-heading" data-size="md" id="actions-heading">{heading}</h2>\n'
        f"  {alert}\n"
        f"{_assignment(context, t, csrf, user_id)}\n\n"
        f"  {transitions}\n\n"
        f"  {request_information}\n\n"
        f"  {hearing}\n\n"
        f"  {decide}\n\n"
        f"  {offer}\n"
        f"  {nothing}\n"
        "</section>"
    )


# --- the application's answers and files -------------------------------------------------------


def answers_html(context: Mapping[str, Any]) -> SafeString:
    t = texts()
    case = context["case"]
    heading, files_heading = t["Søknaden"], t["Vedlegg"]
    sections = context["sections"]
    if sections:
        written = []
        for section in sections:
            rows = "".join(
                f"<div><dt>{e(_item(row, 'label'))}</dt>"
                f"<dd>{_linebreaksbr(_item(row, 'value'))}</dd></div>"
                for row in _item(section, "rows") or []
            )
            written.append(
                f'\n  <h3 class="ds-heading" data-size="xs">{e(_item(section, "title"))}</h3>\n'
                f'  <dl class="casework-facts">\n    {rows}\n  </dl>\n  '
            )
        answers = "".join(written)
    else:
        none = t["Saken har ingen søknadsopplysninger."]
        answers = f'\n  <p class="ds-paragraph">{none}</p>\n  '
    attachments = context["attachments"]
    if attachments:
        items = "".join(
            f'<li><a class="ds-link" href="{e(url2("casework:attachment", case.pk, a.pk))}"'
            f" download>{e(a.original_name)}</a> ({e(filesizeformat(a.size))})</li>"
            for a in attachments
        )
        files = f'\n  <ul class="ds-list">{items}</ul>\n  '
    else:
        none = t["Ingen vedlegg."]
        files = f'<p class="ds-paragraph">{none}</p>'
    return mark_safe(  # noqa: S308 (every value escaped above)
        '<section aria-labelledby="answers-heading" class="casework-section">\n'
        f'  <h2 class="ds-heading" data-size="md" id="answers-heading">{heading}</h2>\n'
        f"  {answers}\n"
        f'  <h3 class="ds-heading" data-size="xs">{files_heading}</h3>\n'
        f"  {files}\n"
        "</section>"
    )


def _linebreaksbr(value: Any) -> str:
    """``{{ value|linebreaksbr }}`` (the filter's lazy and string wrappers cost ~10 µs an
    answer): newlines normalised, escaped unless safe, each line break a ``<br>``."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if not isinstance(value, SafeData):
        text = html.escape(text)
    return text.replace("\n", "<br>")


def _item(mapping: Any, key: str) -> Any:
    """``{{ mapping.key }}`` on a summary's JSON: "" for a missing key, as the template
    wrote an unknown variable."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return getattr(mapping, key, "")
