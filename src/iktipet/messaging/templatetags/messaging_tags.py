"""``{% attachment_url attachment %}``: the download URL the including app chose.

The thread partial does not know who serves attachments (cases does, after its access
check), so the caller passes ``attachment_url_name`` and ``attachment_url_args`` (the
arguments before the attachment id) in the context.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def attachment_url(context: template.Context, attachment: Any) -> str:
    name = context.get("attachment_url_name")
    if not name:
        return ""
    args = list(context.get("attachment_url_args") or [])
    return reverse(name, args=[*args, attachment.pk])


@register.filter(expects_localtime=True, is_safe=False)
def iso_datetime(value: Any) -> str:
    """``value|date:"c"`` for a ``<time datetime>``, without the date filter's format parsing
    (~0.04 ms a time on the case pages' timeline and thread; issue 13): the same text."""
    if not value:
        return ""
    try:
        return str(value.isoformat())
    except AttributeError:
        return ""
