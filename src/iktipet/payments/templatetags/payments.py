"""``{% load payments %}``: ``{{ order.amount_ore|nok }}`` shows øre as kroner in the page's
language, and ``{{ order|payment_state }}`` the state as the payer reads it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from iktipet.core.money import format_nok

register = template.Library()


@register.filter
def nok(value: Any) -> str:
    if value is None or value == "":
        return ""
    return format_nok(int(value))


@register.filter
def payment_state(order: Any) -> str:
    """The order's state in words; a paid order that was partly refunded says so."""
    # Choice labels are lower case (Django's convention); a tag starts with a capital, as
    # the case statuses beside it on Min side do.
    if order.state == "captured" and order.refunded_ore:
        return capfirst(_("betalt, delvis refundert"))
    return capfirst(str(order.get_state_display()))


@register.filter
def state_color(order: Any) -> str:
    return {
        "open": "warning",
        "pending": "info",
        "authorized": "info",
        "captured": "success",
        "refunded": "neutral",
        "cancelled": "neutral",
    }.get(order.state, "neutral")
