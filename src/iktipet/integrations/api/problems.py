"""One shape for every error: RFC 9457 problem details (``application/problem+json``)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema
from pydantic import ConfigDict, Field

MEDIA_TYPE = "application/problem+json"
#: ``type`` URIs: relative to the API, documented in docs/api.md ("Errors").
TYPE_BASE = "/api/v1/problems/"


class Problem(Exception):
    """Raise anywhere under the API: the handler answers it as problem details."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str = "",
        *,
        errors: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status, self.code, self.title, self.detail = status, code, title, detail
        self.errors = errors or {}
        self.headers = headers or {}


class ProblemOut(Schema):
    """An error (RFC 9457)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "/api/v1/problems/not-found",
                    "title": "Not found",
                    "status": 404,
                    "detail": "No case with this id for your organisation.",
                    "instance": "/api/v1/cases/6f1c…",
                }
            ]
        }
    )

    type: str = Field(description="A URI naming the kind of problem.")
    title: str
    status: int
    detail: str = ""
    instance: str = ""
    errors: dict[str, str] = Field(
        default_factory=dict, description="Field name → message, for invalid input."
    )


def problem_response(request: HttpRequest, problem: Problem) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + problem.code,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.path,
    }
    if problem.errors:
        body["errors"] = problem.errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=problem.status, content_type=MEDIA_TYPE
    )
    for name, value in problem.headers.items():
        response[name] = value
    return response


#: The error responses every operation may give, for the OpenAPI document.
COMMON = {400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 429: ProblemOut}


def errors(*statuses: int) -> dict[int, type[ProblemOut]]:
    return {**COMMON, **{status: ProblemOut for status in statuses}}
