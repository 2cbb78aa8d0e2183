"""Limits on what a request may carry: the size of its body and the characters in its address.

**Body size.** One platform-wide limit, ``settings.REQUEST_MAX_BYTES``
(``IKTIPET_REQUEST_MAX_MB``; by default the attachments one request may carry in all plus one
file's worth, so that one file too many still gets the form's own message and keeps what was
typed). The per-file and per-application limits of :mod:`iktipet.documents.uploads` stay
as they are; this one only stops a body that no form could accept before anything reads it:

- a ``Content-Length`` above the limit is answered 413 at once. Nothing has read the body
  (this middleware runs before sessions, CSRF and the views), and granian hands the request
  to Django before the body has arrived, so the client gets the answer while it is still
  sending and the server never stores a byte of it;
- a body of unknown length (``Transfer-Encoding: chunked``, which granian passes on with
  ``wsgi.input_terminated``) is read here, in chunks, up to the limit: into memory up to
  ``FILE_UPLOAD_MAX_MEMORY_SIZE``, then a temporary file. One byte more and it is 413. Under
  the limit Django gets it with its length, as if the client had sent one. (Django's WSGI
  handler alone would read such a body as empty.) A ``Content-Length`` smaller than the body
  is no way around: Django reads no further than it says.

The same limit belongs in the proxy in front (deploy/helm: the ingress' ``proxy-body-size``),
so an oversized body stops there already. Under ASGI (not how Iktipet is served) Django
spools the whole body before any middleware runs: there only the proxy's limit holds.

**Address characters.** A query parameter holding a control character (NUL, and the others
:mod:`iktipet.core.forms` refuses) that no form on the page reads is answered 400 with a
page that says so: never a 500 from the database. A view with a search form of its own
(``@validates_query_text``) shows the error on its field instead.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from iktipet.core.forms import has_disallowed_characters

Handler = Callable[[HttpRequest], HttpResponse]
CHUNK = 64 * 1024


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB"


def refusal(request: HttpRequest, status: int, code: str, title: str, message: str) -> HttpResponse:
    """A translated page (or JSON, for a client that asks for it) for a refused request.

    Runs before LocaleMiddleware and the session: the language comes from the cookie or the
    browser, and the page needs neither a user nor a CSRF token.
    """
    if request.accepts("application/json") and not request.accepts("text/html"):
        return JsonResponse({"error": code, "message": message}, status=status)
    context = {"title": title, "message": message}
    return render(request, "errors/standalone.html", context, status=status)


def _too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.REQUEST_MAX_BYTES
    with translation.override(translation.get_language_from_request(request)):
        return refusal(
            request,
            413,
            "request_too_large",
            _("Det du sendte, er for stort"),
            _(
                "Alt du sender på én gang, med vedlegg, kan være på høyst %(limit)s. "
                "Gå tilbake, ta med færre eller mindre filer og send igjen."
            )
            % {"limit": _megabytes(limit)},
        )


def _declared_length(request: HttpRequest) -> int | None:
    raw = request.META.get("CONTENT_LENGTH")
    if raw in (None, ""):
        return None
    try:
        return max(int(raw), 0)
    except ValueError:
        return 0  # as Django reads it: no body


def _spool_unknown_length(request: HttpRequest, limit: int) -> Any:
    """Read a body of unknown length up to ``limit`` and give it to Django with its length.

    Returns the spooled file (for the caller to close after the response), or None when the
    body is longer than ``limit``.
    """
    stream = request.META["wsgi.input"]
    # Closed by the caller once the response is made.
    spooled = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)  # noqa: SIM115
    size = 0
    while chunk := stream.read(min(CHUNK, limit + 1 - size)):
        size += len(chunk)
        if size > limit:
            spooled.close()
            return None
        spooled.write(chunk)
    spooled.seek(0)
    request.META["CONTENT_LENGTH"] = str(size)
    # What WSGIRequest.__init__ builds from a known length (nothing has read the body yet).
    request._stream = LimitedStream(spooled, size)  # type: ignore[attr-defined]
    return spooled


class RequestBodyLimitMiddleware:
    """413 for a body above ``REQUEST_MAX_BYTES``, by its length or while it is read."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_MAX_BYTES
        length = _declared_length(request)
        if length is not None and length > limit:
            return _too_large(request)
        unknown = (
            length is None
            and request.META.get("wsgi.input_terminated")
            and "HTTP_TRANSFER_ENCODING" in request.META
        )
        if not unknown:
            return self.get_response(request)
        spooled = _spool_unknown_length(request, limit)
        if spooled is None:
            return _too_large(request)
        try:
            return self.get_response(request)
        finally:
            spooled.close()


class QueryTextMiddleware:
    """400 for control characters in query parameters no form on the page checks."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not request.META.get("QUERY_STRING") or getattr(view, "validates_query_text", False):
            return None
        if not has_disallowed_characters(dict(request.GET.lists())):
            return None
        return refusal(
            request,
            400,
            "control_character",
            _("Adressen inneholder et tegn som ikke er tillatt"),
            _(
                "Adressen du åpnet, inneholder et usynlig kontrolltegn. Sjekk lenken eller "
                "søket, fjern tegnet og prøv igjen."
            ),
        )
