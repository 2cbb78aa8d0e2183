"""Cases of the client's agencies: the list (cursor paging, filters), one case, its timeline."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel, ConfigDict

from iktipet.cases.models import Case
from iktipet.cases.selectors import timeline_of
from iktipet.integrations.api import paging
from iktipet.integrations.api.auth import CASES_READ
from iktipet.integrations.api.problems import errors
from iktipet.integrations.selectors import case_for_client, case_page

router = Router(tags=["cases"], auth=CASES_READ)

CASE_EXAMPLE = {
    "id": "0b9f7c1e-2f0c-4a55-9d7e-3b1f5f0c9a11",
    "reference": "2026/000123",
    "kind": "application",
    "service": "byggesak-enkel",
    "title": "Søknad om tiltak uten ansvarsrett",
    "agency": "plan-og-bygningsetaten",
    "status": "received",
    "status_label": "Mottatt",
    "is_open": True,
    "party": {"kind": "organisation", "orgnr": "910000001", "name": "Eksempel AS"},
    "received_at": "2026-12-01T09:30:00+00:00",
    "updated_at": "2026-12-02T10:00:00+00:00",
    "due_date": "2027-01-12",
    "decided_at": None,
    "closed_at": None,
    "transitions": ["start", "request_information"],
}


class PartyOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [CASE_EXAMPLE["party"]]})

    kind: str = Field(description="`person` or `organisation`.")
    orgnr: str = Field("", description="The organisation number (empty for a person).")
    name: str


# The list's output models are plain pydantic models, not ninja Schemas: they validate the
# dicts of case_out() in pydantic's core, where a Schema wraps each of the page's 100 nested
# objects in ninja's attribute getter first (1.2 ms of a 50-case page, 0.07 ms without;
# bench/README.md).
class CaseOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [CASE_EXAMPLE]})

    id: str
    reference: str = Field(description="The case number: year/sequence.")
    kind: str
    service: str
    title: str
    agency: str
    status: str
    status_label: str
    is_open: bool
    party: PartyOut
    received_at: dt.datetime
    updated_at: dt.datetime
    due_date: dt.date | None
    decided_at: dt.datetime | None
    closed_at: dt.datetime | None
    transitions: list[str] = Field(
        description="Transitions a back office may take now (POST …/status)."
    )


class CasePageOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [CASE_EXAMPLE], "next_cursor": "MjAyNi0x…"}]}
    )

    items: list[CaseOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: none.")


class CaseFilters(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "received", "service": "byggesak", "limit": 50}]}
    )

    status: str = Field(
        "", max_length=40, pattern=paging.PLAIN_TEXT, description="Only cases in this status."
    )
    service: str = Field(
        "", max_length=100, pattern=paging.PLAIN_TEXT, description="Only cases of this service id."
    )
    changed_since: dt.datetime | None = Field(None, description="Only cases changed since.")
    cursor: str = Field(
        "",
        max_length=200,
        pattern=paging.PLAIN_TEXT,
        description="`next_cursor` of the previous page.",
    )
    limit: int = Field(50, ge=1, le=paging.MAX_LIMIT)


class TimelineEntryOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "at": "2026-12-02T10:00:00+00:00",
                    "kind": "status_changed",
                    "from_status": "received",
                    "to_status": "in_progress",
                    "actor": "Fagsystem AS, Plan- og bygningsetaten",
                    "note": "",
                    "visible_to_applicant": True,
                }
            ]
        }
    )

    at: dt.datetime
    kind: str
    from_status: str
    to_status: str
    actor: str
    note: str
    visible_to_applicant: bool


def etag_of(case: Case) -> str:
    """Changes whenever the case does (its status and ``updated_at``)."""
    basis = f"{case.pk}:{case.status}:{case.updated_at.isoformat()}"
    return '"' + hashlib.sha256(basis.encode()).hexdigest()[:20] + '"'


def case_out(case: Case) -> dict[str, Any]:
    """A case in the shape of :class:`CaseOut` (a dict: ninja validates it once, on the way
    out, rather than twice)."""
    from iktipet.cases.permissions import staff_may

    workflow = case.workflow_model
    transitions = [
        t.id
        for t in workflow.transitions_from(case.status)
        if t.action is None and staff_may(t, {"case_worker"})
    ]
    return {
        "id": str(case.pk),
        "reference": case.reference,
        "kind": case.kind,
        "service": case.service_id,
        "title": case.title,
        "agency": case.agency.slug,
        "status": case.status,
        "status_label": str(workflow.label(case.status)),
        "is_open": case.is_open,
        "party": {
            "kind": case.party_kind,
            "orgnr": case.party_identifier if case.is_organisation else "",
            "name": case.party_name,
        },
        "received_at": case.received_at,
        "updated_at": case.updated_at,
        "due_date": case.due_date,
        "decided_at": case.decided_at,
        "closed_at": case.closed_at,
        "transitions": transitions,
    }


@router.get("", response={200: CasePageOut, **errors()}, summary="List cases")
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> dict[str, Any]:
    """The cases of your agencies, newest received first."""
    client = request.auth.client  # type: ignore[attr-defined]
    found = case_page(
        client,
        after=paging.decode(filters.cursor),
        limit=filters.limit + 1,
        status=filters.status,
        service=filters.service,
        changed_since=filters.changed_since,
    )
    more = len(found) > filters.limit
    found = found[: filters.limit]
    last = found[-1] if found and more else None
    return {
        "items": [case_out(case) for case in found],
        "next_cursor": paging.encode(last.received_at, last.pk) if last else None,
    }


@router.get("/{case_id}", response={200: CaseOut, **errors(404)}, summary="Read a case")
def read_case(request: HttpRequest, case_id: str, response: HttpResponse) -> dict[str, Any]:
    """One case. The `ETag` header goes in `If-Match` on a write."""
    case = case_for_client(request.auth.client, case_id)  # type: ignore[attr-defined]
    response["ETag"] = etag_of(case)
    return case_out(case)


@router.get(
    "/{case_id}/timeline",
    response={200: list[TimelineEntryOut], **errors(404)},
    summary="A case's timeline",
)
def case_timeline(request: HttpRequest, case_id: str) -> list[TimelineEntryOut]:
    case = case_for_client(request.auth.client, case_id, purpose="timeline")  # type: ignore[attr-defined]
    return [
        TimelineEntryOut(
            at=event.at,
            kind=event.kind,
            from_status=event.from_status,
            to_status=event.to_status,
            actor=event.actor_label,
            note=event.note,
            visible_to_applicant=event.visible_to_applicant,
        )
        for event in timeline_of(case, for_applicant=False)
    ]
