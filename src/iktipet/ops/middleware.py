"""Request id, metrics and security headers for every response."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from iktipet.core.context import new_request_id, reset_request_id, set_request_id
from iktipet.core.csp import content_security_policy
from iktipet.ops.metrics import LATENCY, REQUESTS

Handler = Callable[[HttpRequest], HttpResponse]
logger = logging.getLogger("iktipet.request")


class RequestIdMiddleware:
    """Give every request an id (or accept the proxy's ``X-Request-ID``), echoed in the response.

    Log lines and audit entries written while the request runs, and tasks it enqueues, carry it.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            return response
        finally:
            reset_request_id(token)


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.route or match.view_name or "unmatched"


class MetricsMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - start
        route = _route(request)
        method = request.method or "GET"
        REQUESTS.labels(route, method, str(response.status_code)).inc()
        LATENCY.labels(route, method).observe(elapsed)
        if response.status_code >= 500:
            logger.warning("server error", extra={"route": route, "status": response.status_code})
        return response


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline script or style) and related headers.

    A view that extends the policy for its page sets the header itself
    (:func:`iktipet.core.csp.content_security_policy`); this leaves it as it is.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        # Static files leave before Django's clickjacking middleware: deny framing here too.
        # A view marked xframe_options_exempt (front-channel logout) sets frame-ancestors itself.
        if not getattr(response, "xframe_options_exempt", False):
            response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
