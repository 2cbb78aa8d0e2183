"""The request's user (read with its session), and the session's lifetime: 30 minutes idle,
120 minutes absolute (as ID-porten's SSO session)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import auth, messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from iktipet.accounts import services, sessions
from iktipet.accounts.backends import offering


def get_user(request: HttpRequest) -> AbstractBaseUser | AnonymousUser:
    """Django's ``auth.get_user`` (cached on the request as Django's middleware does), with
    the user read with the session row offered to the backend: the backend takes it only
    for the session's own user id, and Django checks it as any user it reads (the backend
    still configured, the auth hash against the session's, fallbacks, the session flushed
    when it does not match)."""
    if not hasattr(request, "_cached_user"):
        session = request.session
        session.get(SESSION_KEY)  # loaded (as get_user would), so the row's user is known
        with offering(getattr(session, "joined_user", None)):
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
    user: AbstractBaseUser | AnonymousUser = request._cached_user  # type: ignore[attr-defined]
    return user


def _lazy_user(request: HttpRequest) -> SimpleLazyObject:
    """``request.user`` until it is first read: then :func:`get_user`'s user, which also
    replaces this lazy object on the request (unless ``login()`` or ``logout()`` has set
    another user there meanwhile), so that the page's later reads of ``request.user`` are
    plain attribute reads, not each a call through the proxy (profiled: ~35 of them on a
    form step, ~220 on Min side). Whoever kept the lazy object (the ``auth`` context
    processor) reads the same user through it."""

    def resolve() -> AbstractBaseUser | AnonymousUser:
        user = get_user(request)
        if getattr(request, "user", None) is lazy:
            request.user = user  # type: ignore[assignment]
        return user

    lazy = SimpleLazyObject(resolve)
    return lazy


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, its ``request.user`` from :func:`get_user` (one statement for the session
    and its user, not two) and, once read, the user itself (:func:`_lazy_user`);
    ``request.auser`` stays Django's. A request that never reads its user reads no session
    for it."""

    def process_request(self, request: HttpRequest) -> None:
        if not hasattr(request, "session"):
            super().process_request(request)  # Django's ImproperlyConfigured
        request.user = _lazy_user(request)  # type: ignore[assignment]
        request.auser = partial(auth_middleware.auser, request)


class SessionTimeoutMiddleware:
    """Ends a login that has been idle too long or has lasted too long.

    Placed after the authentication and message middleware. Reads only the session, so a
    request without a login costs nothing extra.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            at = sessions.now()
            info = sessions.login_info(session)  # read once for the request
            if info is None:
                # Logged in some other way (force_login in tests): the clock starts now.
                info = sessions.start_clock(session, at)
            reason = sessions.expiry_reason(session, at, info)
            if reason:
                services.expire_session(request, reason)
                messages.info(
                    request,
                    _("Du ble logget ut fordi du ikke hadde vært aktiv på en stund.")
                    if reason == "idle"
                    else _("Du ble logget ut fordi innloggingen varte lenger enn to timer."),
                )
            else:
                sessions.touch(session, at)
        return self.get_response(request)
