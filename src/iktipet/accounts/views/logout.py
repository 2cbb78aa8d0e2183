"""Logout: RP-initiated (POST here, then a form to the provider's end_session_endpoint, which
sends the browser back with our ``state``) and front-channel."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_http_methods, require_safe

from iktipet.accounts import services
from iktipet.accounts.oidc.provider import citizen_provider, staff_provider
from iktipet.core.audit import record
from iktipet.core.csp import content_security_policy
from iktipet.core.ratelimit import Limit, ratelimit

#: The ``state`` sent with RP-initiated logout, kept in the (new, anonymous) session until the
#: provider sends the browser back to ``logged_out`` with it.
LOGOUT_STATE = "accounts.logout_state"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def logout(request: HttpRequest) -> HttpResponse:
    """GET asks for confirmation (a link cannot log anyone out); POST logs out."""
    if request.method != "POST":
        if not request.user.is_authenticated:
            return HttpResponseRedirect(reverse("accounts:logged_out"))
        return render(request, "accounts/logout_confirm.html", {"title": _("Logg ut")})
    end = services.sign_out(request)
    if end is None:
        return HttpResponseRedirect(reverse("accounts:logged_out"))
    request.session[LOGOUT_STATE] = end.params["state"]
    # A form (GET or POST, as configured), not a redirect: see flow.EndSession.
    context = {"title": _("Fullfør utloggingen"), "end": end}
    response = render(request, "accounts/end_session.html", context)
    # The strict site policy, but the page's form may go to the provider.
    response["Content-Security-Policy"] = content_security_policy(form_action=[end.origin])
    return response


@never_cache
@require_safe
@ratelimit("accounts.logged_out", Limit(60, 60))  # a mismatch writes an audit row
def logged_out(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser back to (post_logout_redirect_uri), with the
    ``state`` we sent. A missing or different state means we cannot tell that the provider
    ended its session: the page says so, and the audit log records it."""
    expected = request.session.get(LOGOUT_STATE)
    returned = request.GET.get("state")
    confirmed = (expected is None and returned is None) or (
        isinstance(expected, str)
        and returned is not None
        and secrets.compare_digest(expected.encode(), returned.encode())
    )
    if not confirmed:
        record(
            request.user,
            "accounts.logout_state_mismatch",
            None,
            {"expected": expected is not None, "returned": returned is not None},
        )
    title = _("Du er logget ut") if confirmed else _("Utloggingen ble ikke bekreftet")
    return render(request, "accounts/logged_out.html", {"title": title, "confirmed": confirmed})


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@never_cache
@xframe_options_exempt
@require_safe
@ratelimit("accounts.frontchannel", Limit(120, 60))
def frontchannel_logout(request: HttpRequest) -> HttpResponse:
    """``GET ?iss=…&sid=…`` from the provider (in an iframe): end exactly those sessions.

    No cookie is needed or used: a third-party iframe does not get our SameSite cookie, and
    the (iss, sid) pair names the sessions precisely.
    """
    iss, sid = request.GET.get("iss", ""), request.GET.get("sid", "")
    if not iss or not sid or len(iss) > 200 or len(sid) > 255:
        return HttpResponse(_("Mangler iss eller sid."), status=400, content_type="text/plain")
    services.end_provider_sessions(iss, sid)
    response = render(request, "accounts/frontchannel.html", {"title": _("Logget ut")})
    # The provider frames this page; only the providers may.
    origins = sorted({_origin(p.issuer) for p in (citizen_provider(), staff_provider())} - {""})
    response["Content-Security-Policy"] = content_security_policy(frame_ancestors=origins)
    return response
