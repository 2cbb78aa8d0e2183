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
