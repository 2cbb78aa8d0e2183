"""``{% load payments %}``: ``{{ order.amount_ore|nok }}`` shows øre as kroner in the page's
language, and ``{{ order|payment_state }}`` the state as the payer reads it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from iktipet.core.money import format_nok
from iktipet.core.per_language import per_language
from iktipet.payments.models import PaymentOrder

register = template.Library()


@register.filter
def nok(value: Any) -> str:
    if value is None or value == "":
        return ""
    return format_nok(int(value))


@per_language
def state_word_table() -> dict[str | None, str]:
    """Each state in words in the active language (``None``: paid, partly refunded), for
    ``state_words``."""
    # Choice labels are lower case (Django's convention); a tag starts with a capital, as
    # the case statuses beside it on Min side do.
    words: dict[str | None, str] = {
        value: capfirst(str(label)) for value, label in PaymentOrder.State.choices
    }
    words[None] = capfirst(_("betalt, delvis refundert"))
    return words


def state_words(
    state: str, refunded_ore: int, words: Mapping[str | None, str] | None = None
) -> str:
    """``payment_state`` of an order in this state with ``refunded_ore`` refunded, from the
    words made once per language (``state_word_table()``; ``words``: that table, if the
    caller has it at hand)."""
    if words is None:
        words = state_word_table()
    if state == "captured" and refunded_ore:
        return words[None]
    found = words.get(state)
    # get_FOO_display() writes a value that is no choice as it is.
    return capfirst(str(state)) if found is None else found


@register.filter
def payment_state(order: Any) -> str:
    """The order's state in words; a paid order that was partly refunded says so."""
    return state_words(order.state, order.refunded_ore)


#: Each state's tag colour (``state_color``).
STATE_COLORS = {
    "open": "warning",
    "pending": "info",
    "authorized": "info",
    "captured": "success",
    "refunded": "neutral",
    "cancelled": "neutral",
}


@register.filter
def state_color(order: Any) -> str:
    return STATE_COLORS.get(order.state, "neutral")
