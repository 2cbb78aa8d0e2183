"""``{% csrf_token %}`` for the pages written in Python (issue 13)."""

from __future__ import annotations

from typing import Any

from iktipet.core.html import esc


def csrf_input(token: Any) -> str:
    """The hidden input with the page's masked token, as Django's tag writes it: nothing
    without a token (none made, or Django's "NOTPROVIDED" marker). Every form on a page
    gets the same one, as the tag gave each form the context's one token."""
    if token is None:
        return ""
    value = str(token)
    if not value or value == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(value)}">'
