"""The claims TestID issues, shaped like ID-porten's (citizens) and a city IdP's (staff)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from django.conf import settings

from iktipet.testid.identities import staff_user
from iktipet.testid.models import Login

ACR_SUBSTANTIAL = "idporten-loa-substantial"
ACR_HIGH = "idporten-loa-high"
LEVELS = {"substantial": ACR_SUBSTANTIAL, "high": ACR_HIGH}
AMR = ["TestID"]
UI_LOCALES = ("nb", "nn", "en", "se")


def requested_level(acr_values: str) -> str:
    """The level to preselect: high when the client asks for it, else substantial."""
    return "high" if ACR_HIGH in acr_values.split() else "substantial"


def locale_from(ui_locales: str) -> str:
    """The first supported language of ``ui_locales`` (``nb`` if none)."""
    for tag in ui_locales.split():
        language = tag.lower().split("-")[0]
        if language in UI_LOCALES:
            return language
        if language == "no":
            return "nb"
    return "nb"


def pairwise_subject(client_id: str, identity: str) -> str:
    """A stable subject per person and client that does not reveal who the person is."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"testid-sub:{client_id}:{identity}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _identity(login: Login) -> str:
    return login.pid if login.kind == Login.Kind.CITIZEN else f"staff:{login.staff_username}"


def userinfo_claims(login: Login) -> dict[str, Any]:
    """What /userinfo answers: ID-porten gives sub, pid and locale; staff get profile claims."""
    claims: dict[str, Any] = {"sub": pairwise_subject(login.client_id, _identity(login))}
    if login.kind == Login.Kind.CITIZEN:
        claims.update(pid=login.pid, locale=login.locale)
        return claims
    user = staff_user(login.staff_username)
    if user is not None:
        claims.update(
            name=user.name,
            given_name=user.given_name,
            family_name=user.family_name,
            email=user.email,
            preferred_username=user.username,
            locale=login.locale,
        )
        claims[settings.STAFF_OIDC_ROLES_CLAIM] = list(user.roles)
    return claims


def id_token_claims(login: Login) -> dict[str, Any]:
    """The login-specific claims of the id_token (iss, aud, iat, exp, nonce come on top)."""
    claims = userinfo_claims(login)
    claims.update(
        amr=AMR,
        sid=login.sid,
        auth_time=int(login.authenticated_at.timestamp()),
    )
    if login.acr:
        claims["acr"] = login.acr
    return claims
