"""Session lifetime: 30 minutes idle, 120 minutes absolute (as ID-porten's SSO session)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from iktipet.accounts import services, sessions


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
            if sessions.login_info(session) is None:
                # Logged in some other way (force_login in tests): the clock starts now.
                sessions.start_clock(session, at)
            reason = sessions.expiry_reason(session, at)
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
