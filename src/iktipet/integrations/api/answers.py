"""A submitted application's answers as JSON, in a stable, versioned shape.

The shape (``iktipet.application/v1``) does not follow the form definition's versions: the
service version is named inside it, and the answers are keyed by the definition's field ids.
A new shape would be ``/v2`` beside this one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from iktipet.integrations.api.auth import CASES_READ
from iktipet.integrations.api.problems import errors
from iktipet.integrations.selectors import case_for_client

router = Router(tags=["applications"], auth=CASES_READ)
SHAPE = "iktipet.application/v1"


class ApplicationOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "schema": SHAPE,
                    "reference": "S-2026-7K3M9Q",
                    "service": "skjenkebevilling",
                    "service_version": 3,
                    "submitted_at": "2026-12-01T09:30:00+00:00",
                    "language": "nb",
                    "party": {"kind": "organisation", "orgnr": "910000001", "name": "Eksempel AS"},
                    "answers": {"business_name": "Eksempel AS", "opening_hours": "16-01"},
                    "attachments": [{"id": "5d0c…", "field": "floor_plan", "name": "plan.pdf"}],
                }
            ]
        }
    )

    schema_: str = Field(SHAPE, alias="schema", description="The shape's name and version.")
    reference: str
    service: str
    service_version: int
    submitted_at: dt.datetime | None
    language: str
    party: dict[str, str]
    answers: dict[str, Any] = Field(description="The definition's field id → the answer.")
    attachments: list[dict[str, str]]


@router.get(
    "/{case_id}/application",
    response={200: ApplicationOut, **errors(404)},
    summary="The submitted application",
    by_alias=True,
)
def read_application(request: HttpRequest, case_id: str) -> ApplicationOut:
    case = case_for_client(request.auth.client, case_id, purpose="application")  # type: ignore[attr-defined]
    application = case.application
    if application is None:
        raise Http404
    return ApplicationOut(
        schema=SHAPE,
        reference=application.reference or "",
        service=application.service_id,
        service_version=application.service_version.number,
        submitted_at=application.submitted_at,
        language=str((application.summary or {}).get("language") or "nb"),
        party={
            "kind": application.party_kind,
            "orgnr": application.party_identifier,
            "name": application.party_name,
        },
        answers=application.answers or {},
        attachments=[
            {"id": str(a.pk), "field": a.field_id, "name": a.original_name}
            for a in application.attachments.all()
        ],
    )
