"""The payer's order page's content written in Python (issue 13): the template's tags
(``{% blocktranslate %}``, filters, ``{% url %}``, the lines' include and loop) cost more
than the page's own reads. The same HTML byte for byte as the template it replaced
(``tests/payments/templates_before/order_content.html``, checked in nb and en with hostile
strings): every value is escaped as the template's autoescape did, each translated message
is not, as ``{% blocktranslate %}`` leaves it. Amounts and owners come from the order read
on the server (``selectors.order_page_for_payer``, plain values); nothing here reads the
request but its CSRF token.

What is the same for everyone in a language (the translations, the states in words, the
addresses with a stand-in id) is made once per process, language and script prefix
(``core.per_language``): a text the template wrote with ``{% translate %}`` is kept escaped
as that tag escaped it (``t_*``), one it wrote with ``{% blocktranslate %}`` is filled in per
view (``b_*``). A whole number is written with ``str()``: ``localize()`` writes an ``int`` so
while ``USE_THOUSAND_SEPARATOR`` is off (it is), and an amount (``format_nok``) is digits,
separators and "kr"/"NOK", nothing to escape."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from iktipet.core.html import esc
from iktipet.core.money import format_nok
from iktipet.core.per_language import per_language
from iktipet.payments.selectors import OrderOnPage
from iktipet.payments.templatetags.payments import (
    STATE_COLORS,
    state_word_table,
    state_words,
)

#: A stand-in id: the pay address is reversed once with it, then the order's id put there.
_ID = str(uuid.UUID(int=1))
_EMPTY = SafeString("")


@per_language
def _texts() -> dict[str, Any]:
    """The page's fixed parts in the active language. ``t_*``: as ``{% translate %}`` wrote
    them (escaped); ``b_*``: ``{% blocktranslate %}``'s translated text, filled in per view;
    ``u_*``: an address (escaped; ``u_pay`` with :data:`_ID` for the order's id);
    ``states``: the states in words (``state_words``)."""
    # Each a plain gettext call: makemessages reads no f-string.
    translated = {
        "t_back": _("Tilbake til Min side"),
        "t_not_started": _("Betalingen ble ikke startet"),
        "t_reference": _("Referanse"),
        "t_payee": _("Mottaker"),
        "t_status": _("Status"),
        "t_due": _("Forfallsdato"),
        "t_paid": _("Betalt"),
        "t_for_what": _("Dette betaler du for"),
        "t_what": _("Beskrivelse"),
        "t_count": _("Antall"),
        "t_price": _("Pris"),
        "t_amount": _("Beløp"),
        "t_total": _("Totalt"),
        "t_refunded": _("Refundert"),
        "t_started": _(
            "Du har startet en betaling som ikke er fullført. Du kan fortsette, eller "
            "velge betalingsmåte på nytt; du blir ikke belastet to ganger."
        ),
        "t_choose": _("Velg betalingsmåte"),
        "t_later": _("Betaling er ikke tilgjengelig akkurat nå. Prøv igjen senere."),
        "t_receipt": _("Se kvitteringen"),
    }
    texts: dict[str, Any] = {key: esc(text) for key, text in translated.items()}
    texts.update(
        b_label=_("Hva betalingen %(reference)s gjelder"),
        b_vat=_("%(vat)s %% mva"),
        b_refund=_("%(amount)s refundert %(date)s"),
        b_pay=_("Betal %(amount)s"),
        u_pay=esc(reverse("payments:pay", args=[_ID])),
        # As Agency.name and format_nok choose: English or not.
        language="en" if (get_language() or "nb").startswith("en") else "nb",
        states=state_word_table(),
    )
    texts["back"] = (
        f'\n<p class="ds-paragraph"><a class="ds-link" href="{esc(reverse("accounts:my_page"))}">'
        f"{texts['t_back']}</a></p>\n"
    )
    texts["thead"] = (
        f'<thead><tr><th scope="col">{texts["t_what"]}</th>'
        f'<th scope="col" class="payments-num">{texts["t_count"]}</th>'
        f'<th scope="col" class="payments-num">{texts["t_price"]}</th>'
        f'<th scope="col" class="payments-num">{texts["t_amount"]}</th></tr></thead>'
    )
    return texts


def _date(value: Any, format_name: str) -> str:
    """As ``{{ value|date:format_name }}``: an aware time in the current zone, escaped."""
    return esc(date_format(template_localtime(value), format_name))


def lines_html(order: OrderOnPage, texts: dict[str, Any] | None = None) -> str:
    """``payments/_order_lines.html``: the lines' table with the order's total (``texts``:
    this language's ``_texts()``, if the caller has them at hand)."""
    if texts is None:
        texts = _texts()
    language = texts["language"]
    label = texts["b_label"] % {"reference": esc(order.reference)}
    rows = []
    for text, quantity, unit_price_ore, vat_percent in order.lines:
        vat = f" ({texts['b_vat'] % {'vat': vat_percent}})" if vat_percent else ""
        rows.append(
            "\n    <tr>"
            f"<td>{esc(text)}{vat}</td>"
            f'<td class="payments-num">{quantity}</td>'
            f'<td class="payments-num">{format_nok(unit_price_ore, language)}</td>'
            f'<td class="payments-num">{format_nok(quantity * unit_price_ore, language)}</td>'
            "</tr>\n  "
        )
    return (
        f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
        '<table class="ds-table payments-lines" data-size="sm">\n'
        f'  <caption class="ds-sr-only">{label}</caption>\n'
        f"  {texts['thead']}\n"
        f"  <tbody>{''.join(rows)}</tbody>\n"
        f'  <tfoot><tr><th scope="row" colspan="3">{texts["t_total"]}</th>'
        f'<td class="payments-num"><strong>{format_nok(order.amount_ore, language)}</strong>'
        "</td></tr></tfoot>\n"
        "</table></div>\n"
    )


def _providers_html(
    texts: dict[str, Any], providers: Sequence[dict[str, str]], chosen: str, error: str | None
) -> str:
    radios = "".join(
        f'<div class="ds-field"><input class="ds-input" type="radio"'
        f' id="provider-{esc(p["name"])}" name="provider" value="{esc(p["name"])}"'
        f"{' checked' if p['name'] == chosen else ''}>"
        f'<label class="ds-label" for="provider-{esc(p["name"])}">{esc(p["label"])}</label></div>'
        for p in providers
    )
    if error:
        return (
            '<fieldset class="ds-fieldset" id="provider" aria-describedby="provider-error">\n'
            f'      <legend class="ds-label">{texts["t_choose"]}<div class="ds-validation-message"'
            f' data-field="validation" id="provider-error">{esc(error)}</div></legend>\n'
            f"      {radios}\n    </fieldset>"
        )
    return (
        '<fieldset class="ds-fieldset" id="provider">\n'
        f'      <legend class="ds-label">{texts["t_choose"]}</legend>\n'
        f"      {radios}\n    </fieldset>"
    )


def order_content_html(
    *,
    order: OrderOnPage,
    refunds: Sequence[tuple[int, datetime | None]],
    providers: Sequence[dict[str, str]],
    chosen: str,
    errors: dict[str, str],
    receipt_path: str,
) -> tuple[SafeString, SafeString]:
    """``payments/order.html``'s content block in two parts: up to the pay form's CSRF
    input, and after it ("" without a form). The template puts ``{% csrf_token %}`` between
    them, so the page keeps one masked token (the header's logout form uses it too).
    ``refunds``: (amount in øre, when) of each refund paid back."""
    texts = _texts()
    language = texts["language"]
    head: str | None = None
    parts = [texts["back"]]
    if errors:
        messages = "".join(f"<li>{esc(message)}</li>" for message in errors.values())
        parts.append(
            '<div class="ds-alert" data-color="danger" role="alert" id="error-summary"'
            ' tabindex="-1">\n'
            f'  <h2 class="ds-heading" data-size="xs">{texts["t_not_started"]}</h2>\n'
            f'  <ul class="ds-list">{messages}</ul>\n</div>'
        )
    payee = order.agency_name_en if language == "en" else order.agency_name_nb
    state = order.state
    due = (
        f"<dt>{texts['t_due']}</dt><dd>{_date(order.due_date, 'DATE_FORMAT')}</dd>"
        if order.due_date
        else ""
    )
    paid = (
        f"<dt>{texts['t_paid']}</dt><dd>{_date(order.paid_at, 'DATETIME_FORMAT')}</dd>"
        if order.paid_at
        else ""
    )
    parts.append(
        f'\n<h1 class="ds-heading" data-size="lg">{esc(order.title)}</h1>\n'
        '<dl class="payments-facts">\n'
        f"  <dt>{texts['t_reference']}</dt><dd>{esc(order.reference)}</dd>\n"
        f"  <dt>{texts['t_payee']}</dt><dd>{esc(payee)}</dd>\n"
        f'  <dt>{texts["t_status"]}</dt><dd><span class="ds-tag"'
        f' data-color="{STATE_COLORS.get(state, "neutral")}">'
        f"{esc(state_words(state, order.refunded_ore, texts['states']))}</span></dd>\n  "
        f"{due}\n  {paid}\n</dl>\n"
    )
    if order.reason:
        parts.append(f'<p class="ds-paragraph">{esc(order.reason)}</p>')
    parts.append(
        f'\n<h2 class="ds-heading" data-size="sm">{texts["t_for_what"]}</h2>\n'
        f"{lines_html(order, texts)}\n"
    )
    if refunds:
        items = "".join(
            "<li>"
            + texts["b_refund"]
            % {"amount": format_nok(amount_ore, language), "date": _date(when, "DATE_FORMAT")}
            + "</li>"
            for amount_ore, when in refunds
        )
        parts.append(
            f'<h2 class="ds-heading" data-size="sm">{texts["t_refunded"]}</h2>\n'
            f'<ul class="ds-list">{items}</ul>'
        )
    parts.append("\n")
    if order.is_payable:
        parts.append("\n  ")
        if state == "pending":
            parts.append(
                '<div class="ds-alert" data-color="info"><p class="ds-paragraph">'
                f"{texts['t_started']}</p></div>"
            )
        parts.append("\n  ")
        if providers:
            pay = texts["b_pay"] % {"amount": format_nok(order.amount_ore, language)}
            parts.append(
                '\n  <form method="post"'
                f' action="{texts["u_pay"].replace(_ID, str(order.pk))}" class="payments-pay">\n'
                "    "
            )
            head, parts = "".join(parts), []
            parts.append(
                f"\n    {_providers_html(texts, providers, chosen, errors.get('provider'))}\n"
                f'    <button class="ds-button" data-variant="primary" type="submit">{pay}'
                "</button>\n  </form>\n  "
            )
        else:
            parts.append(f'<p class="ds-paragraph">{texts["t_later"]}</p>')
        parts.append("\n")
    elif state in ("authorized", "captured", "refunded"):
        parts.append(
            f'\n  <p class="ds-paragraph"><a class="ds-link" href="{esc(receipt_path)}">'
            f"{texts['t_receipt']}</a></p>\n"
        )
    parts.append("\n")
    # Every value escaped above. SafeString itself: mark_safe's lazy-string check per part
    # finds nothing lazy in a str.
    if head is None:
        return SafeString("".join(parts)), _EMPTY
    return SafeString(head), SafeString("".join(parts))
