"""Identity providers as plugins: ID-porten (or TestID) for citizens, the city's IdP for staff.

Both speak OpenID Connect, so one plugin class serves both; the options differ. Options are
passed in explicitly (``citizen_provider()`` and ``staff_provider()`` read them from settings),
so a test builds a provider pointed at whatever server it started.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from iktipet.core.registry import Plugin, Registry

CITIZEN, STAFF = "citizen", "staff"
CLIENT_AUTH_METHODS = ("private_key_jwt", "client_secret_post", "client_secret_basic")
#: How the browser is sent to the provider's end_session_endpoint: a redirect, or a form.
LOGOUT_METHODS = ("GET", "POST")


class BaseIdentityProvider(Plugin):
    """Who logs people in. ``key`` says which audience it serves: citizen or staff."""

    key: str
    issuer: str


identity_providers: Registry[BaseIdentityProvider] = Registry(
    "identity provider", BaseIdentityProvider
)


@identity_providers.register("oidc")
class OidcProvider(BaseIdentityProvider):
    """An OpenID Connect provider reached over HTTP: ID-porten, TestID, Entra ID, Keycloak."""

    label: ClassVar[str] = "OpenID Connect"

    def __init__(
        self,
        *,
        key: str,
        issuer: str,
        client_id: str,
        redirect_uri: str,
        post_logout_redirect_uri: str,
        client_secret: str = "",
        client_auth: str = "client_secret_post",
        client_key_path: str = "",
        client_key_id: str = "",
        scope: str = "openid profile",
        uses_loa: bool = True,
        roles_claim: str = "",
        logout_method: str = "GET",
        timeout: float = 5.0,
    ) -> None:
        self.key = key
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.client_auth = client_auth
        self.client_key_path = client_key_path
        self.client_key_id = client_key_id
        self.redirect_uri = redirect_uri
        self.post_logout_redirect_uri = post_logout_redirect_uri
        self.scope = scope
        self.uses_loa = uses_loa
        self.roles_claim = roles_claim
        self.logout_method = logout_method
        self.timeout = timeout

    def check_config(self) -> list[str]:
        problems = []
        prefix = "IKTIPET_OIDC" if self.key == CITIZEN else "IKTIPET_STAFF_OIDC"
        if not self.issuer:
            problems.append(f"{prefix}_ISSUER is not set (and TestID is off): nobody can log in.")
            return problems
        parts = urlsplit(self.issuer)
        if parts.scheme != "https" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            problems.append(f"{prefix}_ISSUER must use https outside a local test setup.")
        if self.client_auth not in CLIENT_AUTH_METHODS:
            problems.append(f"Client authentication {self.client_auth!r} is not supported.")
        if self.logout_method not in LOGOUT_METHODS:
            problems.append(f"{prefix}_LOGOUT_METHOD must be GET or POST.")
        if self.client_auth == "private_key_jwt":
            if not self.client_key_path:
                problems.append(f"{prefix}_CLIENT_KEY (a PEM private key file) is not set.")
            elif not Path(self.client_key_path).is_file():
                problems.append(f"{prefix}_CLIENT_KEY: no file at {self.client_key_path}.")
        elif not self.client_secret:
            problems.append(f"{prefix}_CLIENT_SECRET is not set.")
        return problems


def _absolute(url_name: str) -> str:
    return f"{settings.BASE_URL}{reverse(url_name)}"


def citizen_provider() -> OidcProvider:
    """ID-porten (TestID in demo) as configured in settings."""
    return identity_providers.create(  # type: ignore[return-value]
        "oidc",
        key=CITIZEN,
        issuer=settings.OIDC_ISSUER,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        client_auth=settings.OIDC_CLIENT_AUTH,
        client_key_path=settings.OIDC_CLIENT_KEY,
        client_key_id=getattr(settings, "OIDC_CLIENT_KEY_ID", ""),
        redirect_uri=_absolute("accounts:callback"),
        post_logout_redirect_uri=_absolute("accounts:logged_out"),
        scope="openid profile",
        uses_loa=True,
        logout_method=settings.OIDC_LOGOUT_METHOD,
    )


def staff_provider() -> OidcProvider:
    """The city's identity provider for staff (TestID's staff users in demo)."""
    return identity_providers.create(  # type: ignore[return-value]
        "oidc",
        key=STAFF,
        issuer=settings.STAFF_OIDC_ISSUER,
        client_id=settings.STAFF_OIDC_CLIENT_ID,
        client_secret=settings.STAFF_OIDC_CLIENT_SECRET,
        client_auth=getattr(settings, "STAFF_OIDC_CLIENT_AUTH", "client_secret_post"),
        redirect_uri=_absolute("accounts:staff_callback"),
        post_logout_redirect_uri=_absolute("accounts:logged_out"),
        scope=getattr(settings, "STAFF_OIDC_SCOPE", "openid profile"),
        uses_loa=False,
        roles_claim=settings.STAFF_OIDC_ROLES_CLAIM,
        logout_method=settings.STAFF_OIDC_LOGOUT_METHOD,
    )


def provider_for(key: str) -> OidcProvider:
    if key == STAFF:
        return staff_provider()
    return citizen_provider()
