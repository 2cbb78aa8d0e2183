"""The summary page's content, written in Python (issue 13: the summary is hot).

First its loop of sections and rows and the applicant's ``{% include %}`` (~0.48 ms of a
~0.6 ms page body, measured in-process), then the rest of ``summary.html``'s content block:
the alerts, the fee, the fee's lines, the submit or pay form (:func:`summary_content_html`).
The markup is what the templates wrote, byte for byte (``tests/applications/
test_applications_summary_html.py`` compares it with them, kept in ``templates_before``, in
bokmål and English); every value is escaped as ``{{ value }}`` escapes it, a translation
written as ``{% translate %}`` writes it. The rare open-application warning keeps its
template, as on the step page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.template.loader import get_template
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from iktipet.accounts import chrome
from iktipet.applications.addresses import application_url
from iktipet.applications.fields.html import _e, answer_text
from iktipet.core.csrf_html import csrf_input
from iktipet.core.per_language import per_language


@per_language
def _texts() -> dict[str, str]:
    """The fixed texts of the applicant and the sections, escaped (``summary_texts``), and
    the page's title as ``gettext`` gives it (the view's context has it unescaped)."""
    return {
        "title": _("Se over og send inn"),
        "orgnr": _e(_("org.nr.")),
        "applicant": _e(_("Søker:")),
        "only_self": _e(_("Bare privatpersoner kan søke om dette, så du søker for deg selv.")),
        "other_organisation": _e(_("Søk for en annen virksomhet eller deg selv")),
        "for_organisation": _e(_("Søk på vegne av en virksomhet")),
        "change": _e(_("Endre")),
    }


@per_language
def _fee_texts() -> dict[str, str]:
    """The fee's and the form's fixed texts, as ``{% translate %}`` writes them, and the
    page's head: asked once per page (each ask reads the language and the script prefix)."""
    return {
        "head": f'<link rel="stylesheet" href="{static("applications/applications.css")}">',
        "heading": _("Gebyr"),
        "unknown": _("Gebyret kan ikke beregnes før alle svarene er fylt ut."),
        "to_pay": _("Du skal betale %(fee)s."),
        "free": _("Søknaden er gratis."),
        "first": _(
            "Gebyret betales før søknaden sendes inn. Søknaden blir sendt inn når betalingen "
            "er godkjent."
        ),
        "after": _(
            "Du betaler ikke nå. Gebyret krever vi inn hvis søknaden blir innvilget, og du "
            "betaler det fra Min side."
        ),
        "submit": _("Send inn søknaden"),
        "back": _("Tilbake"),
    }


#: The applicant's and the sections' texts, for a view that writes both (asked once).
summary_texts = _texts


def applicant_html(
    *,
    kind: str,
    name: str,
    orgnr: str,
    audience: str,
    change_url: str = "",
    texts: dict[str, str] | None = None,
) -> SafeString:
    """Who applies, said on the first page and the summary (issue 14): never a party
    applied silently. ``change_url``: where to choose another party (the first page).
    ``texts``: ``summary_texts()``, when the page asked for them already."""
    texts = texts or _texts()
    who = f"{_e(name)} ({texts['orgnr']} {_e(orgnr)})" if kind == "organisation" else _e(name)
    if audience == "person":
        choice = f'<p class="ds-paragraph" data-size="sm">{texts["only_self"]}</p>\n  '
    elif change_url:
        other = texts["other_organisation" if kind == "organisation" else "for_organisation"]
        choice = (
            f'<p class="ds-paragraph" data-size="sm"><a class="ds-link" '
            f'href="{_e(change_url)}">{other}</a></p>'
        )
    else:
        choice = ""
    return mark_safe(  # noqa: S308 (every value escaped)
        '\n<div class="app-applicant" id="soker">\n'
        f'  <p class="ds-paragraph"><strong>{texts["applicant"]}</strong> {who}</p>\n'
        f"  {choice}\n"
        "</div>\n"
    )


def sections_html(
    sections: Iterable[Mapping[str, Any]], texts: dict[str, str] | None = None
) -> SafeString:
    """Per step of the summary: its heading, the link to change it, and its answers.
    ``texts``: ``summary_texts()``, when the page asked for them already."""
    change = (texts or _texts())["change"]
    parts = []
    for section in sections:
        step_id, title = _e(section["step_id"]), _e(section["title"])
        rows = "".join(
            f'<div class="app-summary__row"><dt>{_e(row["label"])}</dt>'
            f"<dd>{answer_text(row)}</dd></div>"
            for row in section["rows"]
        )
        parts.append(
            f'\n<section class="app-summary-section" aria-labelledby="s-{step_id}">\n'
            '  <div class="app-summary-head">\n'
            f'    <h2 class="ds-heading" data-size="sm" id="s-{step_id}">{title}</h2>\n'
            f'    <a class="ds-link" href="{_e(section["change_url"])}">{change}'
            f'<span class="ds-sr-only"> {title}</span></a>\n'
            "  </div>\n"
            '  <dl class="app-summary">\n'
            f"    {rows}\n"
            "  </dl>\n"
            "</section>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped)


def fee_lines_html(lines: Iterable[Mapping[str, Any]], total: Any) -> str:
    """``_fee_lines.html``: what the fee is made up of, and its total."""
    caption, described, amount = _("Hva gebyret består av"), _("Beskrivelse"), _("Beløp")
    body = "".join(
        f'<tr><td>{_e(line["text"])}</td><td class="app-amount">{_e(line["amount"])}</td></tr>'
        for line in lines
    )
    foot = ""
    if total:
        together = _("Til sammen")
        foot = (
            f'<tfoot><tr><th scope="row">{together}</th>'
            f'<td class="app-amount">{_e(total)}</td></tr></tfoot>'
        )
    return (
        '<table class="ds-table app-fee-lines" data-size="sm">\n'
        f'  <caption class="ds-sr-only">{caption}</caption>\n'
        f'  <thead><tr><th scope="col">{described}</th>'
        f'<th scope="col" class="app-amount">{amount}</th></tr></thead>\n'
        f"  <tbody>{body}</tbody>\n"
        f"  {foot}\n"
        "</table>\n"
    )


def pay_form_html(context: Any, csrf_token: Any) -> str:
    """``_pay_form.html``: "Betal og send inn", with the providers to choose from."""
    pay_error = context.get("pay_error")
    providers = context.get("providers") or []
    error = ""
    if pay_error:
        error = (
            '<div class="ds-alert" data-color="danger" role="alert" id="pay-error">'
            f'<p class="ds-paragraph">{_e(pay_error)}</p></div>'
        )
    if len(providers) > 1:
        chosen = context.get("chosen_provider")
        legend = _("Velg betalingsmåte")
        items = []
        for index, item in enumerate(providers):
            name = _e(item["name"])
            checked = item["name"] == chosen or (not chosen and index == 0)
            items.append(
                '<div class="ds-field"><input class="ds-input" type="radio" name="provider" '
                f'id="provider-{name}" value="{name}"{" checked" if checked else ""}>'
                f'<label class="ds-label" data-weight="regular" for="provider-{name}">'
                f"{_e(item['label'])}</label></div>"
            )
        described = ' aria-describedby="pay-error"' if pay_error else ""
        choice = (
            f'\n  <fieldset class="ds-fieldset"{described}>\n'
            f'    <legend class="ds-label">{legend}</legend>\n'
            f"    {''.join(items)}\n"
            "  </fieldset>\n  "
        )
    elif providers:
        choice = f'<input type="hidden" name="provider" value="{_e(providers[0]["name"])}">\n  '
    else:
        unavailable = _("Betaling er ikke tilgjengelig akkurat nå. Prøv igjen senere.")
        choice = f'<p class="ds-paragraph">{unavailable}</p>'
    action = _e(application_url("pay", context["application"].pk))
    button = _("Betal og send inn")
    return (
        f'<form method="post" action="{action}" class="app-pay" novalidate>\n'
        f"  {csrf_input(csrf_token)}\n"
        f"  {error}\n"
        f"  {choice}\n"
        '  <button class="ds-button" data-variant="primary" type="submit"'
        f"{'' if providers else ' disabled'}>{button}</button>\n"
        "</form>\n"
    )


def _fee_html(context: Any, texts: dict[str, str]) -> str:
    """The fee's section: what is paid, when, and its lines (``texts``: ``_fee_texts()``)."""
    fee = context.get("fee")
    heading = texts["heading"]
    if context.get("fee_unknown"):
        amount = f'<p class="ds-paragraph">{texts["unknown"]}</p>\n  '
    elif fee:
        # As {% blocktranslate %}: the message as translated, the amount escaped.
        to_pay = texts["to_pay"] % {"fee": _e(fee)}
        amount = f'<p class="ds-paragraph app-fee" id="fee">{to_pay}</p>\n  '
    else:
        amount = f'<p class="ds-paragraph" id="fee">{texts["free"]}</p>'
    lines = context.get("fee_lines")
    when = ""
    if context.get("pay_first"):
        when = f'<p class="ds-paragraph">{texts["first"]}</p>\n  '
    elif context.get("fee_after_decision"):
        when = f'<p class="ds-paragraph" id="fee-when">{texts["after"]}</p>'
    description = context.get("fee_description")
    if description:
        description = f'<p class="ds-paragraph">{_e(description)}</p>'
    return (
        '<section aria-labelledby="fee-heading">\n'
        f'  <h2 class="ds-heading" data-size="sm" id="fee-heading">{heading}</h2>\n'
        f"  {amount}\n"
        f"  {fee_lines_html(lines, fee) if lines else ''}\n"
        f"  {when}\n"
        f"  {description or ''}\n"
        "</section>\n"
    )


def summary_content_html(
    context: Any, *, csrf_token: Any, texts: dict[str, str] | None = None
) -> SafeString:
    """The content block of ``summary.html`` for the view's ``context`` (a template's
    context or a dict: what it has ``get``). ``texts``: ``_fee_texts()``, if asked already."""
    texts = texts or _fee_texts()
    changed = ""
    if context.get("changed"):
        again = _(
            "Søknaden ble endret etter at du åpnet denne oppsummeringen, kanskje i en annen "
            "fane. Den er ikke sendt inn. Se over svarene slik de er nå, og send inn igjen."
        )
        changed = (
            '<div class="ds-alert" data-color="warning" role="alert" id="draft-changed">'
            f'<p class="ds-paragraph">{again}</p></div>'
        )
    incomplete = context.get("incomplete")
    missing = ""
    if incomplete:
        complete_them = _("Noen steg mangler svar. Fullfør dem før du sender inn:")
        items = "".join(
            f'<li><a class="ds-link" href="{_e(item["url"])}">{_e(item["title"])}</a>'
            + (f": {_e(item['problem'])}" if item.get("problem") else "")
            + "</li>"
            for item in incomplete
        )
        missing = (
            '\n<div class="ds-alert" data-color="warning" role="status">\n'
            f'  <p class="ds-paragraph">{complete_them}</p>\n'
            f'  <ul class="ds-list">{items}</ul>\n'
            "</div>\n"
        )
    warnings = "".join(
        '<div class="ds-alert" data-color="warning">'
        f'<p class="ds-paragraph">{_e(warning)}</p></div>'
        for warning in context.get("warnings") or ()
    )
    open_elsewhere = ""
    if context.get("open_elsewhere"):
        names = ("open_elsewhere", "open_elsewhere_links")
        open_elsewhere = get_template("applications/_open_elsewhere.html").render(
            {name: context.get(name) for name in names}
        )
    send = ""
    if not incomplete and not context.get("stopped") and not context.get("fee_unknown"):
        if context.get("pay_first"):
            send = f"\n{pay_form_html(context, csrf_token)}\n\n"
        else:
            submit = texts["submit"]
            send = (
                "\n\n"
                f'<form method="post" action="{_e(context.get("submit_url", ""))}">\n'
                f"  {csrf_input(csrf_token)}\n"
                f'  <input type="hidden" name="version" value="{_e(context.get("version", ""))}">\n'
                '  <button class="ds-button" data-variant="primary" type="submit">'
                f"{submit}</button>\n"
                "</form>\n\n"
            )
    back = ""
    last_step_url = context.get("last_step_url")
    if last_step_url:
        back_text = texts["back"]
        back = (
            f'<p class="ds-paragraph"><a class="ds-link" href="{_e(last_step_url)}">'
            f"{back_text}</a></p>"
        )
    # str() first: esc() would ask a definition's Text (a pydantic model) for __html__,
    # which it answers with an exception (~2 us); a Text's str() is its text, as esc writes.
    service = _e(str(context["definition"].title))
    content = (
        f'\n<p class="ds-paragraph app-service-name">{service}</p>\n'
        f'<h1 class="ds-heading" data-size="lg">{_e(context.get("title", ""))}</h1>\n'
        f"{_e(context.get('applicant_html', ''))}\n"
        f"{changed}\n{missing}\n{warnings}\n{open_elsewhere}\n"
        f"{_e(context.get('sections_html', ''))}\n"
        f"{_fee_html(context, texts)}{send}\n{back}\n"
    )
    return mark_safe(content)  # noqa: S308 (every value escaped above)


def summary_page(context: dict[str, Any], request: Any) -> SafeString:
    """``applications/summary.html`` (core.python_pages): the summary in the frame."""
    token = chrome.csrf_token(request)
    texts = _fee_texts()
    return chrome.page(
        request,
        title=chrome.title(context.get("title", "")),
        head=texts["head"],
        content=summary_content_html(context, csrf_token=token, texts=texts),
        token=token,
    )
