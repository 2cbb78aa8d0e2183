from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from iktipet.accounts import menu
from iktipet.accounts.parties import ActingParty
from iktipet.accounts.parties import acting_party as _acting_party

register = template.Library()


@register.simple_tag(takes_context=True)
def acting_party(context: dict[str, Any]) -> ActingParty | None:
    """``{% acting_party as party %}``: whom the logged-in citizen acts for (no DB query)."""
    request = context.get("request")
    return _acting_party(request) if request is not None else None


@register.simple_tag(takes_context=True)
def user_menu(context: Any) -> SafeString:
    """``{% user_menu %}``: the header's user menu (accounts.menu)."""
    return menu.user_menu(context)
