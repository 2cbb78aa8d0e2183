"""``{% applications_for_min_side as mine %}``: drafts and submitted applications of the
party the logged-in person acts for, for the include on Min side."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.conf import settings

from iktipet.accounts.parties import current_party
from iktipet.applications import selectors

register = template.Library()
LIMIT = 50


def _title(application: Any) -> str:
    summary = application.summary or {}
    if summary.get("service_title"):
        return str(summary["service_title"])
    return str(application.service_version.definition_model.title)


@register.simple_tag(takes_context=True)
def applications_for_min_side(context: template.Context) -> dict[str, list[Any]]:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"drafts": [], "submitted": []}
    party = current_party(request)
    retention = timedelta(days=settings.DRAFT_RETENTION_DAYS)
    drafts = list(selectors.drafts_for_actor(request.user, party)[:LIMIT])
    submitted = list(selectors.submitted_for_actor(request.user, party)[:LIMIT])
    for item in [*drafts, *submitted]:
        item.title = _title(item)
        item.expires = item.updated_at + retention
    return {"drafts": drafts, "submitted": submitted}
