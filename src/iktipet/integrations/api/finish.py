"""What every API response gets after the operation: the rate-limit headers, no caching,
and one audit row with the client's organisation number."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from iktipet.core import audit


def finished(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        caller = getattr(request, "api_caller", None)
        if caller is not None:
            for name, value in caller.quota.headers().items():
                response[name] = value
            audit.record(
                caller,
                "api.call",
                None,
                {
                    "orgnr": caller.client.orgnr,
                    "method": request.method,
                    "path": request.path[:200],
                    "status": response.status_code,
                    "jti": caller.token.jti[:100],
                },
            )
        response["Cache-Control"] = "no-store"
        return response

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]  # bearer tokens, no cookies
    return wrapped
