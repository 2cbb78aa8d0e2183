"""Where TestID lives. Read at request time so tests can point BASE_URL at a live server."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

ID_TOKEN_LIFETIME_SECONDS = 120  # as ID-porten: exp - iat = 120 s


def issuer() -> str:
    """The issuer: this installation's base URL + ``/testid`` (where the URLs are mounted)."""
    return f"{settings.BASE_URL.rstrip('/')}/testid"


def endpoint(name: str) -> str:
    return f"{issuer()}/{name}"


def require_enabled() -> None:
    """404 unless TestID is on: the URLs are normally not even mounted then."""
    if not settings.TESTID_ENABLED:
        raise Http404


def enabled_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Outermost decorator of every TestID view: 404 before anything else answers."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_enabled()
        return view(request, *args, **kwargs)

    return wrapped
