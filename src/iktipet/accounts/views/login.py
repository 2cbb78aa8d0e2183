"""Login: start at the identity provider, come back to the callback, land where you were."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from iktipet.accounts import loa, services, sessions
from iktipet.accounts.navigation import safe_next
from iktipet.accounts.oidc import flow
from iktipet.accounts.oidc.errors import AuthorizationResponseError, OidcError
from iktipet.accounts.oidc.provider import (
    CITIZEN,
    STAFF,
    OidcProvider,
    citizen_provider,
    staff_provider,
)
from iktipet.accounts.views.errors import bad_request, login_error
from iktipet.core.audit import record
from iktipet.core.ratelimit import Limit, ratelimit

LOGIN_LIMIT = Limit(30, 60)
CALLBACK_LIMIT = Limit(30, 60)


def _start(
    request: HttpRequest, provider: OidcProvider, level: str | None, next_url: str
) -> HttpResponse:
    ui_locale = "en" if (get_language() or "nb").startswith("en") else "nb"
    try:
        url, pending = flow.begin(provider, level=level, next_url=next_url, ui_locale=ui_locale)
    except OidcError as exc:
        record(
            request.user,
            "accounts.login_failed",
            None,
            {"provider": provider.key, **exc.audit_details()},
        )
        return login_error(request, exc, staff=provider.key == STAFF)
    sessions.remember_pending(request.session, pending)
    return HttpResponseRedirect(url)


def _finish(request: HttpRequest, provider: OidcProvider, default_next: str) -> HttpResponse:
    pending = sessions.take_pending(request.session, request.GET.get("state", ""))
    try:
        code = flow.check_authorization_response(provider, request.GET.dict(), pending)
        if pending is None:  # already refused above; spelled out for the type checker
            raise AuthorizationResponseError("state_mismatch")
        done = flow.complete(provider, pending, code)
        services.sign_in(request, provider, done)
    except OidcError as exc:
        record(
            request.user,
            "accounts.login_failed",
            None,
            {"provider": provider.key, **exc.audit_details()},
        )
        return login_error(request, exc, staff=provider.key == STAFF)
    return HttpResponseRedirect(pending.next_url or default_next)


@never_cache
@require_safe
@ratelimit("accounts.login", LOGIN_LIMIT)
def login(request: HttpRequest) -> HttpResponse:
    """``/logg-inn/?next=/sti/&niva=high``: log in a citizen at the level a service needs."""
    level = loa.parse_level(request.GET.get("niva"))
    if level is None:
        return bad_request(request, _("Ukjent sikkerhetsnivå. Bruk «substantial» eller «high»."))
    next_url = safe_next(request, request.GET.get("next"), reverse("accounts:my_page"))
    info = sessions.login_info(request.session)
    if (
        request.user.is_authenticated
        and info is not None
        and info.provider == CITIZEN
        and loa.satisfies(info.level, level)
    ):
        return HttpResponseRedirect(next_url)
    return _start(request, citizen_provider(), level, next_url)


@never_cache
@require_safe
@ratelimit("accounts.callback", CALLBACK_LIMIT)
def callback(request: HttpRequest) -> HttpResponse:
    return _finish(request, citizen_provider(), reverse("accounts:my_page"))


@never_cache
@require_safe
@ratelimit("accounts.login", LOGIN_LIMIT)
def staff_login(request: HttpRequest) -> HttpResponse:
    """``/ansatt/logg-inn/?next=/saksbehandling/``: log in through the city's identity provider."""
    next_url = safe_next(request, request.GET.get("next"), reverse("staff:home"))
    info = sessions.login_info(request.session)
    if request.user.is_authenticated and info is not None and info.provider == STAFF:
        return HttpResponseRedirect(next_url)
    return _start(request, staff_provider(), None, next_url)


@never_cache
@require_safe
@ratelimit("accounts.callback", CALLBACK_LIMIT)
def staff_callback(request: HttpRequest) -> HttpResponse:
    return _finish(request, staff_provider(), reverse("staff:home"))
