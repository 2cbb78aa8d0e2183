"""Min side as a whole page (``core.python_pages``: ``render()`` finds it by its old
template's name): the parts ``my_page_html`` wrote and the other apps' sections, in the
frame every page shares (``chrome``)."""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from iktipet.accounts import chrome
from iktipet.core.per_language import per_language


@per_language
def _head() -> str:
    return f'<link rel="stylesheet" href="{static("accounts/accounts.css")}">'


def my_page(context: dict[str, Any], request: Any) -> SafeString:
    """``accounts/my_page.html``."""
    sections = context["sections"]
    # As the template's {{ … }}: HTML given as such is written as it is, text escaped.
    if any(s.get("html") is None for s in sections):  # a hook that wrote no HTML of its own
        middle = chrome.included(context, request, sections)
    else:
        middle = "".join(conditional_escape(s["html"]) for s in sections)
    return chrome.page(
        request,
        title=chrome.title(context.get("title", "")),
        head=_head(),
        content=conditional_escape(context["top"]) + middle + conditional_escape(context["bottom"]),
    )
