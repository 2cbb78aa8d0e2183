"""The payer's order page's content written in Python (payments/order_html.py, issue 13): the
same HTML, byte for byte, as the template it replaced (kept in templates_before/), in every
state the page shows, with every value a person, an agency or a provider wrote escaped."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

from iktipet.core.models import Agency
from iktipet.payments.models import PaymentOrder
from iktipet.payments.order_html import lines_html, order_content_html
from iktipet.payments.selectors import OrderOnPage

BEFORE = Path(__file__).parent / "templates_before"
HOSTILE = "<script>alert(\"x\")</script> & 'q'"
TOKEN = "csrf-token-value"


def _order(state: str, number: int) -> PaymentOrder:
    order = PaymentOrder(
        id=uuid.UUID(int=number),
        reference=f"B-{number}&<1>",
        title=HOSTILE if number % 2 else "Gebyr for skjenkebevilling",
        amount_ore=123_456_78 + number,
        state=state,
        due_date=date(2027, 2, 1) if number % 3 else None,
        paid_at=datetime(2027, 1, 31, 23, 30, tzinfo=UTC) if number % 4 else None,
        reason=HOSTILE if number % 5 else "",
        refunded_ore=100 if number % 2 else 0,
    )
    name = HOSTILE if number % 3 else "Næringsetaten"
    order.agency = Agency(name_nb=name, name_en=name + " (en)")
    return order


def _on_page(order: PaymentOrder, lines: list[SimpleNamespace]) -> OrderOnPage:
    """The order as the page's selector gives it (plain values), with these lines."""
    own = ("reference", "title", "amount_ore", "state", "due_date", "paid_at", "reason")
    return OrderOnPage(
        order.pk,
        *(getattr(order, name) for name in own),
        order.refunded_ore,
        order.payable_kind,
        order.payable_id,
        order.agency.name_nb,
        order.agency.name_en,
        tuple((line.text, line.quantity, line.unit_price_ore, line.vat_percent) for line in lines),
    )


def _lines(number: int) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            text=HOSTILE, quantity=2, unit_price_ore=1050, amount_ore=2100, vat_percent=25
        ),
        SimpleNamespace(
            text="Gebyr", quantity=1, unit_price_ore=100_000, amount_ore=100_000, vat_percent=0
        ),
    ][: number % 3]


def _cases():
    providers = [
        {"name": "testbank", "label": "Testbanken <demo> & co"},
        {"name": "vipps", "label": "Vipps"},
    ]
    refunds = [
        SimpleNamespace(amount_ore=5000, completed_at=datetime(2027, 2, 2, 23, 30, tzinfo=UTC))
    ]
    states = [state for state, _label in PaymentOrder.State.choices]
    for number, (state, shown, errors, chosen, refunded) in enumerate(
        itertools.product(
            states,
            [providers, providers[:1], []],
            [{}, {"provider": HOSTILE}, {"__all__": "Noe gikk galt & <feil>"}],
            ["testbank", ""],
            [refunds, []],
        )
    ):
        yield {
            "order": _order(state, number),
            "lines": _lines(number),
            "refunds": refunded,
            "providers": shown,
            "chosen": chosen,
            "errors": errors,
            "receipt_path": f"/kvittering/{number}/?a=1&b=<2>",
        }


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_content_is_the_old_templates_html(language):
    old_template = engines["django"].from_string((BEFORE / "order_content.html").read_text())
    count = 0
    with translation.override(language):
        for context in _cases():
            old = old_template.render({**context, "csrf_token": TOKEN})
            content, rest = order_content_html(
                order=_on_page(context["order"], context["lines"]),
                refunds=[(r.amount_ore, r.completed_at) for r in context["refunds"]],
                **{k: context[k] for k in ("providers", "chosen", "errors", "receipt_path")},
            )
            csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{TOKEN}">'
            assert content + (csrf + rest if rest else "") == old, context
            assert "<script>" not in old
            count += 1
    assert count > 100


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_lines_are_the_old_templates_html(language):
    old_template = engines["django"].from_string((BEFORE / "order_lines.html").read_text())
    with translation.override(language):
        for number in range(6):
            order, lines = _order("open", number), _lines(number)
            old = old_template.render({"order": order, "lines": lines})
            assert lines_html(_on_page(order, lines)) == old
