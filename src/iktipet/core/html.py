"""HTML escaping for the pages written in Python (issue 13).

Django's ``conditional_escape`` goes through ``keep_lazy`` (a check of every argument for a
lazy string) and wraps its result in a ``SafeString``: ~0.9 µs a call here, and a page
written in Python calls it tens of times. :func:`esc` writes the same characters for the same
value, ~0.2 µs a call: ``html.escape`` (``& < > " '`` as ``&amp; &lt; &gt; &quot; &#x27;``, as
Django's ``escape``), and a value that is already HTML (``__html__``: ``SafeString``,
``format_html``) as it is.

The result is a plain ``str``: it is for a page that joins its parts and marks the whole
safe once, never for a template's context, where it would be escaped again.
"""

from __future__ import annotations

from html import escape as _escape
from typing import Any


def esc(value: Any) -> str:
    """``value`` as HTML text: the same characters as ``conditional_escape(value)``."""
    if type(value) is str:
        return _escape(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return str(html())
    return _escape(str(value))
