"""Pages are ``Cache-Control: private, no-store`` unless they say they are public.

Nearly every page of the platform shows personal data: Min side, cases, form steps and
summaries, staff pages, pages reached by a signed link, and, once logged in, every page's
header (the person's name, whom they act for). A shared proxy or the browser's disk cache must
keep none of them. So the rule is the safe default, set here once for every response, and a
new page cannot forget it: a view opts *out* with :func:`public_page`, and only for anonymous
visitors (catalogue, front page, static information pages). A response that already says how
it is cached (static files, PDFs, the OIDC discovery documents) is left as it is.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

PRIVATE = "private, no-store"

Handler = Callable[[HttpRequest], HttpResponse]


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view whose page, for an anonymous visitor, holds nothing personal: it may be
    cached like any public page. For a logged-in person it is private all the same."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.public_page = True  # type: ignore[attr-defined]
        return response

    wrapper.public_page = True  # type: ignore[attr-defined]  (tests list the public views)
    return wrapper


def _logged_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PrivateByDefaultMiddleware:
    """``Cache-Control: private, no-store`` on every response that sets no Cache-Control,
    unless it is a :func:`public_page` seen by an anonymous visitor.

    Placed before WhiteNoise and the session middleware, so responses those (and the request
    limits) answer early get the header too.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if getattr(response, "public_page", False) and not _logged_in(request):
            return response
        response["Cache-Control"] = PRIVATE
        return response
