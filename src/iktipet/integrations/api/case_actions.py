"""A back office moves a case: status, a message to the applicant, the decision with its
letter. Each goes through the cases app's service (cases/services), as the staff pages do:
same rules, same timeline, audit rows, domain events and notifications to the applicant."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from pydantic import ConfigDict, Field

from iktipet.cases.models import Decision
from iktipet.integrations import services
from iktipet.integrations.api.auth import CASES_WRITE
from iktipet.integrations.api.cases import case_out, etag_of
from iktipet.integrations.api.problems import errors
from iktipet.integrations.api.writes import check_if_match, idempotent, json_response
from iktipet.integrations.selectors import case_for_client

router = Router(tags=["case actions"], auth=CASES_WRITE)
WRITE_ERRORS = errors(404, 409, 412, 413, 422)
HEADERS_DOC = (
    "Send `Idempotency-Key` (a retry returns the first answer) and `If-Match` with the case's "
    "`ETag` (412 if the case changed since)."
)


class StatusIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"transition": "start", "note": "Tatt til behandling."}]},
    )

    transition: str = Field(max_length=60, description="One of the case's `transitions`.")
    note: str = Field("", max_length=10_000)


class MessageIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"body": "Vi trenger en situasjonsplan."}]},
    )

    body: str = Field(min_length=1, max_length=10_000)


class MessageOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"id": "9c1b…", "created_at": "2026-12-02T10:00:00Z"}]}
    )

    id: str
    created_at: str


class DecisionIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "outcome": "granted",
                    "justification": "Tiltaket er i tråd med reguleringsplanen.",
                    "legal_basis": "Plan- og bygningsloven § 20-4",
                    "appeal_body": "",
                }
            ]
        },
    )

    outcome: str = Field(description=", ".join(Decision.Outcome.values), max_length=20)
    justification: str = Field(max_length=20_000)
    legal_basis: str = Field(max_length=2_000)
    appeal_body: str = Field("", max_length=200)


class DecisionOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"id": "a1…", "outcome": "granted", "decided_at": "2026-12-03T12:00:00Z"}]
        }
    )

    id: str
    outcome: str
    decided_at: str


def _case_answer(case: object) -> HttpResponse:
    return json_response(case_out(case), etag=etag_of(case))  # type: ignore[arg-type]


@router.post(
    "/{case_id}/status",
    response={200: dict, **WRITE_ERRORS},
    summary="Change a case's status",
    description=HEADERS_DOC,
    openapi_extra={"responses": {200: {"description": "The case after the change"}}},
)
def change_status(request: HttpRequest, case_id: str, payload: StatusIn) -> HttpResponse:
    client = request.auth.client  # type: ignore[attr-defined]

    def run() -> HttpResponse:
        case = case_for_client(client, case_id, purpose="api_status")
        check_if_match(request, case)
        services.change_status(
            case, client=client, transition=payload.transition, note=payload.note
        )
        case.refresh_from_db()
        return _case_answer(case)

    return idempotent(request, client, run)


@router.post(
    "/{case_id}/messages",
    response={201: MessageOut, **WRITE_ERRORS},
    summary="Write to the applicant",
    description=HEADERS_DOC,
)
def post_message(request: HttpRequest, case_id: str, payload: MessageIn) -> HttpResponse:
    client = request.auth.client  # type: ignore[attr-defined]

    def run() -> HttpResponse:
        case = case_for_client(client, case_id, purpose="api_message")
        check_if_match(request, case)
        message = services.post_message(case, client=client, body=payload.body)
        return json_response(
            {"id": str(message.pk), "created_at": message.created_at.isoformat()}, status=201
        )

    return idempotent(request, client, run)


@router.post(
    "/{case_id}/decision",
    response={201: DecisionOut, **WRITE_ERRORS},
    summary="Record the decision, with its letter",
    description=HEADERS_DOC
    + " Multipart: the fields, and optionally `letter`, the decision letter as a PDF (else "
    "Iktipet writes the letter).",
)
def record_decision(
    request: HttpRequest,
    case_id: str,
    payload: Form[DecisionIn],
    letter: UploadedFile = File(None),  # noqa: B008 - how ninja declares an optional file
) -> HttpResponse:
    client = request.auth.client  # type: ignore[attr-defined]

    def run() -> HttpResponse:
        case = case_for_client(client, case_id, purpose="api_decision")
        check_if_match(request, case)
        decision = services.record_decision(
            case,
            client=client,
            outcome=payload.outcome,
            justification=payload.justification,
            legal_basis=payload.legal_basis,
            appeal_body=payload.appeal_body,
            letter=letter,
        )
        return json_response(
            {
                "id": str(decision.pk),
                "outcome": decision.outcome,
                "decided_at": decision.decided_at.isoformat(),
            },
            status=201,
        )

    return idempotent(request, client, run)
