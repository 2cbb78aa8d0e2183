"""The NinjaAPI object and its error handlers: every error leaves as problem details."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from iktipet.core.errors import ActionRefused
from iktipet.integrations.api.problems import MEDIA_TYPE, Problem, problem_response

logger = logging.getLogger(__name__)

DESCRIPTION = """For the city's other systems, not for browsers.

Authenticate with a bearer access token from Maskinporten (or, in test and demo, TestID's
Maskinporten), issued to your organisation with the scopes the operations name. Writes take
an `Idempotency-Key` and answer a retry with the first answer; `If-Match` makes them
conditional on the `ETag` you read. Every error is `application/problem+json` (RFC 9457).
See docs/api.md for the token flow, the event types and webhooks.
"""

WRITE_HEADERS = [
    {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": "Any unique string (≤ 200): a retry with it gets the first answer.",
        "schema": {"type": "string", "maxLength": 200},
    },
    {
        "name": "If-Match",
        "in": "header",
        "required": False,
        "description": "The case's ETag: 412 if the case changed since you read it.",
        "schema": {"type": "string"},
    },
]


class IktipetApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Ninja's document, with problem details as ``application/problem+json`` and the
        write headers declared on every POST."""
        document = super().get_openapi_schema(**kwargs)
        for item in document.get("paths", {}).values():
            for method, operation in item.items():
                for response in operation.get("responses", {}).values():
                    content = response.get("content", {})
                    body = content.get("application/json")
                    if body and body.get("schema", {}).get("$ref", "").endswith("/ProblemOut"):
                        content[MEDIA_TYPE] = content.pop("application/json")
                if method == "post":
                    operation.setdefault("parameters", []).extend(WRITE_HEADERS)
        return document


api = IktipetApi(
    title="Iktipet API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url=None,  # the reference page is server-rendered (integrations.views.reference)
)


def _field(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "payload")]
    return ".".join(parts) or "body"


@api.exception_handler(Problem)
def _problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return problem_response(request, exc)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = {_field(e.get("loc", ())): str(e.get("msg", "")) for e in exc.errors}
    return problem_response(
        request,
        Problem(400, "invalid", _("Ugyldig forespørsel"), _("Se feltene."), errors=errors),
    )


@api.exception_handler(ActionRefused)
def _refused(request: HttpRequest, exc: ActionRefused) -> HttpResponse:
    errors = {str(k): str(v) for k, v in (getattr(exc, "errors", None) or {}).items()}
    detail = str(getattr(exc, "message", "") or "")
    return problem_response(
        request, Problem(422, "refused", _("Handlingen ble avvist"), detail, errors=errors)
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(
        request,
        Problem(404, "not-found", _("Finnes ikke"), _("Finnes ikke, eller du har ikke tilgang.")),
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        request,
        Problem(
            401,
            "unauthorized",
            _("Mangler gyldig tilgangsnøkkel"),
            "",
            headers={"WWW-Authenticate": 'Bearer realm="iktipet"'},
        ),
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(request, Problem(exc.status_code, "http-error", str(exc)))


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem_response(
        request,
        Problem(
            413,
            "too-large",
            _("Forespørselen er for stor"),
            _("Et JSON-innhold kan være på høyst %(size)d byte.")
            % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        ),
    )


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error", exc_info=exc)
    return problem_response(
        request,
        Problem(500, "server-error", _("Noe gikk galt hos oss"), _("Prøv igjen senere.")),
    )
