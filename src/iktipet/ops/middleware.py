"""Request id, metrics and security headers for every response."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware import csrf
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
        # The metrics' children per label values, as prometheus_client keeps them: looked up
        # here without its validation and lock on every request.
        self._counts: dict[tuple[str, str, int], Any] = {}
        self._latencies: dict[tuple[str, str], Any] = {}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - start
        route = _route(request)
        method = request.method or "GET"
        status = response.status_code
        count = self._counts.get((route, method, status))
        if count is None:
            count = REQUESTS.labels(route, method, str(status))
            self._counts[route, method, status] = count
        count.inc()
        latency = self._latencies.get((route, method))
        if latency is None:
            latency = self._latencies[route, method] = LATENCY.labels(route, method)
        latency.observe(elapsed)
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
        # Django's clickjacking middleware is not in the stack: this sets the same header on
        # every response, static files too. A view marked xframe_options_exempt (front-
        # channel logout) sets frame-ancestors itself.
        if not getattr(response, "xframe_options_exempt", False):
            response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


#: (language cookie, Accept-Language header): the language Django chooses for them.
_languages: dict[tuple[str | None, str], str] = {}
_MAX_LANGUAGES = 512


@receiver(setting_changed)
def _forget_languages(**_: object) -> None:
    _languages.clear()


def _language(request: HttpRequest) -> str:
    key = (
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
        request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
    )
    language = _languages.get(key)
    if language is None:
        language = translation.get_language_from_request(request)
        if len(_languages) >= _MAX_LANGUAGES:
            _languages.clear()
        _languages[key] = language
    return language


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, the same choice of language remembered per language cookie and
    ``Accept-Language`` header (Django parses the header and looks up the cookie for each
    request: ~0.05 ms of every request, measured on ``/healthz``).

    The URLs carry no language prefix (no ``i18n_patterns``); for a URLconf that has one,
    Django's middleware decides as before.
    """

    def _without_prefix(self, request: HttpRequest) -> bool:
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        return not is_language_prefix_patterns_used(urlconf)[0]  # remembered by Django

    def process_request(self, request: HttpRequest) -> None:
        if not self._without_prefix(request):
            return super().process_request(request)
        translation.activate(_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not self._without_prefix(request):
            return super().process_response(request, response)
        # What Django's does without a language prefix: no redirect to one.
        if response.has_header("Vary"):
            patch_vary_headers(response, ("Accept-Language",))
        else:
            response.headers["Vary"] = "Accept-Language"
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def csrf_string() -> str:
    """What Django's ``csrf._get_new_csrf_string`` returns (32 characters drawn uniformly
    from ``CSRF_ALLOWED_CHARS`` by the OS's random source), from one ``os.urandom`` call.

    Django draws each character with ``secrets.choice``: 32 calls into ``os.urandom`` per
    string, two strings on a page with a form and no CSRF cookie yet (the secret and its
    mask), one with the cookie. Measured here: 63 µs per string against 5 µs, on a logged-in
    page (the logout form) whose floor is ~0.8 ms. A byte below 248 (4 × 62) taken modulo 62
    is uniform over the 62 characters; the others are dropped, as ``secrets.choice`` drops the
    out-of-range draws.
    """
    chars = csrf.CSRF_ALLOWED_CHARS
    span = len(chars)
    below = 256 - 256 % span
    found = ""
    while len(found) < csrf.CSRF_SECRET_LENGTH:
        found += "".join(
            [chars[b % span] for b in os.urandom(csrf.CSRF_SECRET_LENGTH + 8) if b < below]
        )
    return found[: csrf.CSRF_SECRET_LENGTH]


#: Each of ``CSRF_ALLOWED_CHARS``' position in it.
_CSRF_INDEX = {char: index for index, char in enumerate(csrf.CSRF_ALLOWED_CHARS)}


def mask_cipher_secret(secret: str) -> str:
    """What Django's ``csrf._mask_cipher_secret`` returns (a new mask, then each character of
    the secret shifted by the mask's), the characters' positions looked up, not searched for
    in two generators: 3 calls, not 100 (one mask per page with a form)."""
    mask = csrf._get_new_csrf_string()
    chars = csrf.CSRF_ALLOWED_CHARS
    span = len(chars)
    index = _CSRF_INDEX
    return mask + "".join(
        [chars[(index[x] + index[y]) % span] for x, y in zip(secret, mask, strict=False)]
    )


class CsrfViewMiddleware(csrf.CsrfViewMiddleware):
    """Django's, with its secrets and masks drawn by :func:`csrf_string` and masked by
    :func:`mask_cipher_secret`.

    ``get_token`` (the ``{% csrf_token %}`` of every page with a form, the logout button in
    every logged-in header) is a module function Django calls by name, so the faster draw
    replaces Django's for the process when the middleware is loaded, and so does the masking
    it calls by name; checking, rotating and the cookie stay Django's.
    """

    def __init__(self, get_response: Handler) -> None:
        super().__init__(get_response)
        csrf._get_new_csrf_string = csrf_string
        csrf._mask_cipher_secret = mask_cipher_secret  # type: ignore[attr-defined]
