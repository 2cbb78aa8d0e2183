"""The payment order page as a whole page (``core.python_pages``: ``render()`` finds it by
its old template's name): the content ``order_html`` wrote, in the frame every page shares
(``accounts.chrome``)."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import SafeString

from iktipet.accounts import chrome
from iktipet.core.csrf_html import csrf_input
from iktipet.core.html import esc


def order_page(context: dict[str, Any], request: Any) -> SafeString:
    """``payments/order.html``: the pay form's CSRF input is the page's one token."""
    token = chrome.csrf_token(request)
    # As the template's {{ … }}: HTML given as such is written as it is, text escaped.
    content = esc(context["content"])
    if context.get("form_rest"):
        content += csrf_input(token) + esc(context["form_rest"])
    return chrome.page(
        request,
        title=chrome.title(context["order"].title, errors=context.get("errors")),
        content=content,
        token=token,
    )
