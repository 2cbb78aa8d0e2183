"""``{% applications_for_min_side as mine %}``: drafts and submitted applications of the
parties Min side shows, for its includes (drafts, then receipts)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.conf import settings

from iktipet.accounts.my_page import shown_parties
from iktipet.accounts.parties import current_party
from iktipet.applications import selectors
from iktipet.catalog import titles

register = template.Library()
LIMIT = 50


def _title(application: Any) -> str:
    """A sent application as its case is called (the definition's ``case_title`` over the
    answers it was sent with: "Skjenkebevilling – Testgrillen"), else the service's title."""
    summary = application.summary or {}
    definition = application.service_version.definition_model
    template = getattr(definition, "case_title", None)
    sections = summary.get("sections")
    if template is not None and isinstance(sections, list):
        language = str(summary.get("language") or "nb")
        filled = titles.fill(template.get(language), titles.shown_answers(sections))
        if filled:
            return filled
    if summary.get("service_title"):
        return str(summary["service_title"])
    return str(definition.title)


@register.simple_tag(takes_context=True)
def applications_for_min_side(context: template.Context) -> dict[str, list[Any]]:
    """Drafts and submitted applications of every party Min side shows, grouped by party
    (``[{"party": …, "items": [...]}]``)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"drafts": [], "submitted": []}
    memo = getattr(request, "_iktipet_min_side_applications", None)
    if memo is not None:  # the drafts and the receipts sections both ask
        return memo
    retention = timedelta(days=settings.DRAFT_RETENTION_DAYS)
    drafts, submitted = [], []
    parties = shown_parties(request) or (current_party(request),)
    for party in parties:
        mine = list(selectors.drafts_for_actor(request.user, party)[:LIMIT])
        sent = list(selectors.submitted_for_actor(request.user, party)[:LIMIT])
        for item in [*mine, *sent]:
            item.title = _title(item)
            item.expires = item.updated_at + retention
        if mine:
            drafts.append({"party": party, "items": mine})
        if sent:
            submitted.append({"party": party, "items": sent})
    found = {"drafts": drafts, "submitted": submitted}
    setattr(request, "_iktipet_min_side_applications", found)  # noqa: B010  (a memo)
    return found
