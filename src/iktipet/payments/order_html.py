"""The payer's order page's content written in Python (issue 13): the template's tags
(``{% blocktranslate %}``, filters, ``{% url %}``, the lines' include and loop) cost more
than the page's own reads. The same HTML byte for byte as the template it replaced
(``tests/payments/templates_before/order_content.html``, checked in nb and en with hostile
strings): every value is escaped as the template's autoescape did, each translated message
is not, as ``{% blocktranslate %}`` leaves it. Amounts and owners come from the order read
on the server, as before; nothing here reads the request but its CSRF token."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from iktipet.payments.models import PaymentOrder
from iktipet.payments.templatetags.payments import nok, payment_state, state_color


def _v(value: Any) -> str:
    """A value as ``{{ value }}`` writes it: localized, then escaped."""
    return conditional_escape(localize(value))


def _date(value: Any, format_name: str) -> str:
    """As ``{{ value|date:format_name }}``: an aware time in the current zone, escaped."""
    return conditional_escape(date_format(template_localtime(value), format_name))


def lines_html(order: PaymentOrder, lines: Sequence[Any]) -> str:
    """``payments/_order_lines.html``: the lines' table with the order's total."""
    label = _("Hva betalingen %(reference)s gjelder") % {"reference": _v(order.reference)}
    what, count, price, amount = _("Beskrivelse"), _("Antall"), _("Pris"), _("Beløp")
    head = (
        f'<thead><tr><th scope="col">{_v(what)}</th>'
        f'<th scope="col" class="payments-num">{_v(count)}</th>'
        f'<th scope="col" class="payments-num">{_v(price)}</th>'
        f'<th scope="col" class="payments-num">{_v(amount)}</th></tr></thead>'
    )
    rows = []
    for line in lines:
        vat = ""
        if line.vat_percent:
            message = _("%(vat)s %% mva") % {"vat": _v(line.vat_percent)}
            vat = f" ({message})"
        rows.append(
            "\n    <tr>"
            f"<td>{_v(line.text)}{vat}</td>"
            f'<td class="payments-num">{_v(line.quantity)}</td>'
            f'<td class="payments-num">{_v(nok(line.unit_price_ore))}</td>'
            f'<td class="payments-num">{_v(nok(line.amount_ore))}</td></tr>\n  '
        )
    total = _("Totalt")
    return (
        f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
        '<table class="ds-table payments-lines" data-size="sm">\n'
        f'  <caption class="ds-sr-only">{label}</caption>\n'
        f"  {head}\n"
        f"  <tbody>{''.join(rows)}</tbody>\n"
        f'  <tfoot><tr><th scope="row" colspan="3">{_v(total)}</th>'
        f'<td class="payments-num"><strong>{_v(nok(order.amount_ore))}</strong></td></tr></tfoot>\n'
        "</table></div>\n"
    )


def _providers_html(providers: Sequence[dict[str, str]], chosen: str, error: str | None) -> str:
    choose = _v(_("Velg betalingsmåte"))
    radios = "".join(
        f'<div class="ds-field"><input class="ds-input" type="radio"'
        f' id="provider-{_v(p["name"])}" name="provider" value="{_v(p["name"])}"'
        f"{' checked' if p['name'] == chosen else ''}>"
        f'<label class="ds-label" for="provider-{_v(p["name"])}">{_v(p["label"])}</label></div>'
        for p in providers
    )
    if error:
        return (
            '<fieldset class="ds-fieldset" id="provider" aria-describedby="provider-error">\n'
            f'      <legend class="ds-label">{choose}<div class="ds-validation-message"'
            f' data-field="validation" id="provider-error">{_v(error)}</div></legend>\n'
            f"      {radios}\n    </fieldset>"
        )
    return (
        '<fieldset class="ds-fieldset" id="provider">\n'
        f'      <legend class="ds-label">{choose}</legend>\n'
        f"      {radios}\n    </fieldset>"
    )


def order_content_html(
    *,
    order: PaymentOrder,
    lines: Sequence[Any],
    refunds: Sequence[Any],
    providers: Sequence[dict[str, str]],
    chosen: str,
    errors: dict[str, str],
    receipt_path: str,
) -> tuple[SafeString, SafeString]:
    """``payments/order.html``'s content block in two parts: up to the pay form's CSRF
    input, and after it ("" without a form). The template puts ``{% csrf_token %}`` between
    them, so the page keeps one masked token (the header's logout form uses it too)."""
    back = _("Tilbake til Min side")
    head: str | None = None
    parts = [
        f'\n<p class="ds-paragraph"><a class="ds-link" href="{_v(reverse("accounts:my_page"))}">'
        f"{_v(back)}</a></p>\n"
    ]
    if errors:
        heading = _("Betalingen ble ikke startet")
        messages = "".join(f"<li>{_v(message)}</li>" for message in errors.values())
        parts.append(
            '<div class="ds-alert" data-color="danger" role="alert" id="error-summary"'
            ' tabindex="-1">\n'
            f'  <h2 class="ds-heading" data-size="xs">{_v(heading)}</h2>\n'
            f'  <ul class="ds-list">{messages}</ul>\n</div>'
        )
    reference, payee, state = _("Referanse"), _("Mottaker"), _("Status")
    facts = [
        f"  <dt>{_v(reference)}</dt><dd>{_v(order.reference)}</dd>\n",
        f"  <dt>{_v(payee)}</dt><dd>{_v(order.agency.name)}</dd>\n",
        f'  <dt>{_v(state)}</dt><dd><span class="ds-tag"'
        f' data-color="{_v(state_color(order))}">{_v(payment_state(order))}</span></dd>\n  ',
    ]
    if order.due_date:
        due = _("Forfallsdato")
        facts.append(f"<dt>{_v(due)}</dt><dd>{_date(order.due_date, 'DATE_FORMAT')}</dd>")
    facts.append("\n  ")
    if order.paid_at:
        paid = _("Betalt")
        facts.append(f"<dt>{_v(paid)}</dt><dd>{_date(order.paid_at, 'DATETIME_FORMAT')}</dd>")
    parts.append(
        f'\n<h1 class="ds-heading" data-size="lg">{_v(order.title)}</h1>\n'
        f'<dl class="payments-facts">\n{"".join(facts)}\n</dl>\n'
    )
    if order.reason:
        parts.append(f'<p class="ds-paragraph">{_v(order.reason)}</p>')
    for_what = _("Dette betaler du for")
    parts.append(
        f'\n<h2 class="ds-heading" data-size="sm">{_v(for_what)}</h2>\n{lines_html(order, lines)}\n'
    )
    if refunds:
        refunded = _("Refundert")
        items = "".join(
            "<li>"
            + _("%(amount)s refundert %(date)s")
            % {
                "amount": _v(nok(refund.amount_ore)),
                "date": _date(refund.completed_at, "DATE_FORMAT"),
            }
            + "</li>"
            for refund in refunds
        )
        parts.append(
            f'<h2 class="ds-heading" data-size="sm">{_v(refunded)}</h2>\n'
            f'<ul class="ds-list">{items}</ul>'
        )
    parts.append("\n")
    if order.is_payable:
        parts.append("\n  ")
        if order.state == "pending":
            started = _(
                "Du har startet en betaling som ikke er fullført. Du kan fortsette, eller "
                "velge betalingsmåte på nytt; du blir ikke belastet to ganger."
            )
            parts.append(
                f'<div class="ds-alert" data-color="info"><p class="ds-paragraph">'
                f"{_v(started)}</p></div>"
            )
        parts.append("\n  ")
        if providers:
            pay = _("Betal %(amount)s") % {"amount": _v(nok(order.amount_ore))}
            parts.append(
                '\n  <form method="post"'
                f' action="{_v(reverse("payments:pay", args=[order.pk]))}" class="payments-pay">\n'
                "    "
            )
            head, parts = "".join(parts), []
            parts.append(
                f"\n    {_providers_html(providers, chosen, errors.get('provider'))}\n"
                f'    <button class="ds-button" data-variant="primary" type="submit">{pay}'
                "</button>\n  </form>\n  "
            )
        else:
            later = _("Betaling er ikke tilgjengelig akkurat nå. Prøv igjen senere.")
            parts.append(f'<p class="ds-paragraph">{_v(later)}</p>')
        parts.append("\n")
    elif order.state in ("authorized", "captured", "refunded"):
        receipt = _("Se kvitteringen")
        parts.append(
            f'\n  <p class="ds-paragraph"><a class="ds-link" href="{_v(receipt_path)}">'
            f"{_v(receipt)}</a></p>\n"
        )
    parts.append("\n")
    if head is None:
        return mark_safe("".join(parts)), mark_safe("")  # noqa: S308 (every value escaped)
    return mark_safe(head), mark_safe("".join(parts))  # noqa: S308 (every value escaped)
