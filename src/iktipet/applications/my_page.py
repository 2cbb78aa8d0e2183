"""Min side's drafts and receipts sections: the drafts and submitted applications of every
party the page shows, grouped by party, written by ``applications.min_side_html``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token

from iktipet.accounts.my_page import ORDER_DRAFTS, ORDER_RECEIPTS, my_page_section, shown_parties
from iktipet.accounts.parties import ActingParty, current_party
from iktipet.applications import selectors
from iktipet.applications.min_side_html import drafts_html, receipts_html
from iktipet.applications.models import Application
from iktipet.catalog import titles
from iktipet.catalog.models import ServiceVersion, parsed_definition

LIMIT = 50


@dataclass
class Listed:
    """A draft or a submitted application as Min side lists it: one row of
    ``selectors.MIN_SIDE_FIELDS`` (no model instance; issue 13), with its title and when a
    draft is deleted."""

    pk: Any
    status: str
    party_kind: str
    party_identifier: str
    reference: str | None
    summary: Any
    updated_at: datetime
    submitted_at: datetime | None
    version_id: Any
    content_hash: str
    title: str = ""
    expires: datetime | None = None

    @property
    def party_key(self) -> tuple[str, str]:
        organisation = self.party_kind == Application.PartyKind.ORGANISATION
        return (self.party_kind, self.party_identifier if organisation else "")


def _title(item: Listed) -> str:
    """A sent application as its case is called (the definition's ``case_title`` over the
    answers it was sent with: "Skjenkebevilling – Testgrillen"), else the service's title."""
    summary = item.summary or {}
    definition = parsed_definition(
        item.content_hash,
        lambda: ServiceVersion.objects.values_list("definition", flat=True).get(pk=item.version_id),
    )
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


def _listed(user: Any, parties: Sequence[ActingParty]) -> list[tuple[ActingParty, list, list]]:
    """Per party: its newest drafts and submitted applications, at most LIMIT of each. One
    query for them all (issue 13: Min side is hot); party by party only when that one is
    cut short, since a party with many could then hide another's."""
    cap = 2 * LIMIT * len(parties)
    found = [Listed(*row) for row in selectors.listed_rows_for_parties(user, parties, cap)]
    if len(found) == cap:
        fields = selectors.MIN_SIDE_FIELDS
        return [
            (
                party,
                [
                    Listed(*row)
                    for row in selectors.drafts_for_actor(user, party).values_list(*fields)[:LIMIT]
                ],
                [
                    Listed(*row)
                    for row in selectors.submitted_for_actor(user, party).values_list(*fields)[
                        :LIMIT
                    ]
                ],
            )
            for party in parties
        ]
    drafts = sorted(
        (row for row in found if row.status == Application.Status.DRAFT),
        key=lambda row: row.updated_at,
        reverse=True,
    )
    sent = sorted(
        (row for row in found if row.status == Application.Status.SUBMITTED),
        key=lambda row: (row.submitted_at is not None, row.submitted_at),
        reverse=True,
    )

    def of(party: ActingParty, items: list[Listed]) -> list[Listed]:
        key = (party.kind, party.orgnr)
        return [row for row in items if row.party_key == key][:LIMIT]

    return [(party, of(party, drafts), of(party, sent)) for party in parties]


def applications_for_min_side(request: HttpRequest) -> dict[str, list[Any]]:
    """Drafts and submitted applications of every party Min side shows, grouped by party
    (``{"drafts": [{"party": …, "items": [...]}], "submitted": [...]}``, each item a
    :class:`Listed`); read once a request, for both sections."""
    if not request.user.is_authenticated:
        return {"drafts": [], "submitted": []}
    memo = getattr(request, "_iktipet_min_side_applications", None)
    if memo is not None:
        return memo
    retention = timedelta(days=settings.DRAFT_RETENTION_DAYS)
    drafts, submitted = [], []
    parties = shown_parties(request) or (current_party(request),)
    for party, mine, sent in _listed(request.user, parties):
        for item in mine:
            item.title = _title(item)
            item.expires = item.updated_at + retention
        for item in sent:
            item.title = _title(item)
        if mine:
            drafts.append({"party": party, "items": mine})
        if sent:
            submitted.append({"party": party, "items": sent})
    found = {"drafts": drafts, "submitted": submitted}
    setattr(request, "_iktipet_min_side_applications", found)  # noqa: B010  (a memo)
    return found


def _show_party(request: HttpRequest) -> bool:
    # One party on the page: no need to name it on every line.
    return len(shown_parties(request)) > 1


@my_page_section("applications/_min_side_drafts.html", order=ORDER_DRAFTS)
def drafts_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    groups = applications_for_min_side(request)["drafts"]
    # The delete forms' token, read only when there is a form to put it in.
    token = get_token(request) if groups else ""
    return {"html": drafts_html(groups, _show_party(request), token)}


@my_page_section("applications/_min_side_receipts.html", order=ORDER_RECEIPTS)
def receipts_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    groups = applications_for_min_side(request)["submitted"]
    return {"html": receipts_html(groups, _show_party(request))}
