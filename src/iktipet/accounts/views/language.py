"""The language switch in every page's header: a GET form, so a page needs no CSRF token for it.

Django's ``set_language`` takes a POST, and the form's ``{% csrf_token %}`` made every page
that had no other form create a CSRF secret and its mask (64 ``os.urandom`` calls) and set a
``csrftoken`` cookie: ~0.06 ms of CPU on each anonymous page, and a ``Set-Cookie`` and
``Vary: Cookie`` on a page that is otherwise the same for everyone. Choosing a language is
not an action worth forging: the worst another site can do with it is show someone the other
language, as a link to it could. What it must not do is send the browser off site, so
``next`` is followed only to this host (as Django's view does). Django's POST view stays at
``/i18n/setlang/`` for anything that posts to it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe


def _safe_next(request: HttpRequest, next_url: str) -> str:
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("front")


@require_safe
def switch_language(request: HttpRequest) -> HttpResponse:
    """Sets the language cookie to ``language`` (one of ``LANGUAGES``; anything else changes
    nothing) and goes back to ``next`` on this site, else to the front page."""
    response = HttpResponseRedirect(_safe_next(request, request.GET.get("next", "")))
    code = request.GET.get("language", "")
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
        )
    return response
