from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from iktipet.accounts import chrome, menu
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


@register.simple_tag(takes_context=True)
def page_messages(context: Any) -> SafeString:
    """``{% page_messages %}``: the messages left for this request (accounts.chrome)."""
    messages = context.get("messages")
    return mark_safe(chrome.messages_html(messages) if messages else "")  # noqa: S308 (escaped)
