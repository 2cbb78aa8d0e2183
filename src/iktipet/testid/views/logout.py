"""end_session: end the TestID session, tell the client over front-channel, send the user back.

Front-channel logout uses plain ``<iframe>`` elements (no JavaScript); the page then moves
on with an instant meta refresh, which browsers run once the frames have loaded.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from oauth2_provider.models import get_application_model
from oauthlib.common import add_params_to_uri

from iktipet.core.csp import content_security_policy
from iktipet.testid.clients import client_spec, ensure_clients
from iktipet.testid.conf import enabled_only, issuer
from iktipet.testid.keys import verified_claims
from iktipet.testid.services import end_login


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    context = {"title": _("Utloggingen kan ikke fullføres"), "message": message}
    response = render(request, "testid/error.html", context, status=400)
    # Django logs 4xx responses with the full URL; after a GET that URL holds the
    # id_token_hint, and with it the fødselsnummer. Mark it logged so it is not.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _audiences(claims: dict[str, Any]) -> list[str]:
    aud = claims.get("aud")
    if isinstance(aud, str):
        return [aud]
    return [a for a in aud or [] if isinstance(a, str)]


def _frame_policy(frames: list[str]) -> str:
    """The site policy, and the page may frame the relying parties' front-channel logout."""
    origins = sorted({"{0.scheme}://{0.netloc}".format(urlsplit(uri)) for uri in frames})
    return content_security_policy(frame_src=["'self'", *origins])


@enabled_only
@csrf_exempt  # relying parties POST here from their own pages
@require_http_methods(["GET", "POST"])
def end_session(request: HttpRequest) -> HttpResponse:
    ensure_clients()
    params = request.POST if request.method == "POST" else request.GET
    hint = params.get("id_token_hint", "")
    redirect_uri = params.get("post_logout_redirect_uri", "")
    state = params.get("state", "")
    client_id = params.get("client_id", "")

    claims: dict[str, Any] = {}
    if hint:
        verified = verified_claims(hint)
        if verified is None or verified.get("iss") != issuer():
            return _refused(request, _("id_token_hint er ikke et id_token fra TestID."))
        audiences = _audiences(verified)
        if client_id and client_id not in audiences:
            return _refused(request, _("id_token_hint er ikke utstedt til denne tjenesten."))
        claims, client_id = verified, client_id or (audiences[0] if audiences else "")

    target = ""
    if redirect_uri:
        app = get_application_model().objects.filter(client_id=client_id).first()
        if not client_id or app is None or not app.post_logout_redirect_uri_allowed(redirect_uri):
            return _refused(
                request,
                _(
                    "Adressen tjenesten vil sende deg til etter utloggingen "
                    "(post_logout_redirect_uri), er ikke registrert."
                ),
            )
        target = add_params_to_uri(redirect_uri, [("state", state)]) if state else redirect_uri

    frames = []
    sid = claims.get("sid")
    login = end_login(sid) if isinstance(sid, str) and sid else None
    spec = client_spec(login.client_id) if login is not None else None
    if spec is not None and spec.frontchannel_logout_uri:
        frames.append(
            add_params_to_uri(spec.frontchannel_logout_uri, [("iss", issuer()), ("sid", sid)])
        )
    if target and not frames:
        return HttpResponseRedirect(target)
    context = {"title": _("Du er logget ut av TestID"), "frames": frames, "target": target}
    response = render(request, "testid/logged_out.html", context)
    if frames:
        response["Content-Security-Policy"] = _frame_policy(frames)
    return response
