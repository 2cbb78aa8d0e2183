"""A case's documents: the applicant's attachments, files in the thread, the decision letter."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from iktipet.cases.letters import decision_letter_pdf
from iktipet.cases.models import Case
from iktipet.cases.selectors import application_attachment_of, decision_of
from iktipet.documents.downloads import stored_file_download
from iktipet.integrations.api.auth import CASES_READ
from iktipet.integrations.api.problems import errors
from iktipet.integrations.selectors import case_for_client
from iktipet.messaging.models import MessageAttachment
from iktipet.messaging.selectors import attachment_in_thread

router = Router(tags=["documents"], auth=CASES_READ)
LETTER = "decision-letter"


class DocumentOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "5d0c3c52-8a0e-4c1f-9a59-1b0f1d3f2e10",
                    "kind": "attachment",
                    "name": "situasjonsplan.pdf",
                    "content_type": "application/pdf",
                    "size": 48213,
                    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    "created_at": "2026-12-01T09:30:00+00:00",
                    "url": "https://iktipet.example/api/v1/cases/0b9f…/documents/5d0c…",
                }
            ]
        }
    )

    id: str
    kind: str = Field(description="`attachment`, `message_attachment` or `decision_letter`.")
    name: str
    content_type: str
    size: int | None
    sha256: str
    created_at: dt.datetime | None
    url: str


def _url(case: Case, document_id: str) -> str:
    return f"{settings.BASE_URL.rstrip('/')}/api/v1/cases/{case.pk}/documents/{document_id}"


def _stored(case: Case, stored: object, kind: str) -> DocumentOut:
    return DocumentOut(
        id=str(stored.pk),  # type: ignore[attr-defined]
        kind=kind,
        name=stored.original_name,  # type: ignore[attr-defined]
        content_type=stored.content_type,  # type: ignore[attr-defined]
        size=stored.size,  # type: ignore[attr-defined]
        sha256=stored.sha256,  # type: ignore[attr-defined]
        created_at=stored.created_at,  # type: ignore[attr-defined]
        url=_url(case, str(stored.pk)),  # type: ignore[attr-defined]
    )


@router.get(
    "/{case_id}/documents",
    response={200: list[DocumentOut], **errors(404)},
    summary="List a case's documents",
)
def list_documents(request: HttpRequest, case_id: str) -> list[DocumentOut]:
    case = case_for_client(request.auth.client, case_id, purpose="documents")  # type: ignore[attr-defined]
    found: list[DocumentOut] = []
    if case.application is not None:
        found += [_stored(case, a, "attachment") for a in case.application.attachments.all()]
    if case.thread_id:
        found += [
            _stored(case, a, "message_attachment")
            for a in MessageAttachment.objects.filter(message__thread_id=case.thread_id)
        ]
    decision = decision_of(case)
    if decision is not None:
        found.append(
            DocumentOut(
                id=LETTER,
                kind="decision_letter",
                name=f"vedtak-{case.year}-{case.sequence:06d}.pdf",
                content_type="application/pdf",
                size=None,
                sha256="",
                created_at=decision.decided_at,
                url=_url(case, LETTER),
            )
        )
    return found


@router.get(
    "/{case_id}/documents/{document_id}",
    response={200: bytes, **errors(404)},
    summary="Download a document",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def download_document(request: HttpRequest, case_id: str, document_id: str) -> HttpResponse:
    case = case_for_client(request.auth.client, case_id, purpose="attachment")  # type: ignore[attr-defined]
    if document_id == LETTER:
        decision = decision_of(case)
        if decision is None:
            raise Http404
        response = HttpResponse(decision_letter_pdf(decision), content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="vedtak.pdf"'
        return response
    try:
        return stored_file_download(application_attachment_of(case, document_id))
    except Http404:
        if not case.thread_id:
            raise
        return stored_file_download(attachment_in_thread(case.thread, document_id))
