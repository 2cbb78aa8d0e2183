"""Identity providers as plugins: ID-porten (or TestID) for citizens, the city's IdP for staff.

Both speak OpenID Connect, so one plugin class serves both slots of the registry, ``citizen``
and ``staff``; the options differ. Options are passed in explicitly (``citizen_provider()`` and
``staff_provider()`` build them from settings through the registry), so a test builds a
provider pointed at whatever server it started. A slot whose issuer is not set (TestID off,
nothing configured) is not in use: nobody logs in there, and the system check is quiet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from iktipet.core.registry import Choice, Plugin, Registry

CITIZEN, STAFF = "citizen", "staff"
CLIENT_AUTH_METHODS = ("private_key_jwt", "client_secret_post", "client_secret_basic")
#: How the browser is sent to the provider's end_session_endpoint: a redirect, or a form.
LOGOUT_METHODS = ("GET", "POST")


class BaseIdentityProvider(Plugin):
    """Who logs people in. ``key`` says which audience it serves: citizen or staff."""

    key: str
    issuer: str


def _logins(conf: Any) -> list[Choice]:
    """Citizen and staff login, each in use once its issuer is set (TestID sets both)."""
    return [
        Choice("oidc", "IKTIPET_OIDC_ISSUER", CITIZEN, in_use=bool(conf.OIDC_ISSUER)),
        Choice("oidc", "IKTIPET_STAFF_OIDC_ISSUER", STAFF, in_use=bool(conf.STAFF_OIDC_ISSUER)),
    ]


identity_providers: Registry[BaseIdentityProvider] = Registry(
    "identity provider", BaseIdentityProvider, choose=_logins
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

    @classmethod
    def options_from_settings(cls, conf: Any, slot: str = CITIZEN) -> dict[str, Any]:
        """ID-porten's options for ``citizen``, the city's identity provider's for ``staff``."""
        if slot == STAFF:
            return {
                "key": STAFF,
                "issuer": conf.STAFF_OIDC_ISSUER,
                "client_id": conf.STAFF_OIDC_CLIENT_ID,
                "client_secret": conf.STAFF_OIDC_CLIENT_SECRET,
                "client_auth": conf.STAFF_OIDC_CLIENT_AUTH,
                "redirect_uri": _absolute(conf, "accounts:staff_callback"),
                "post_logout_redirect_uri": _absolute(conf, "accounts:logged_out"),
                "scope": conf.STAFF_OIDC_SCOPE,
                "uses_loa": False,
                "roles_claim": conf.STAFF_OIDC_ROLES_CLAIM,
                "logout_method": conf.STAFF_OIDC_LOGOUT_METHOD,
            }
        return {
            "key": CITIZEN,
            "issuer": conf.OIDC_ISSUER,
            "client_id": conf.OIDC_CLIENT_ID,
            "client_secret": conf.OIDC_CLIENT_SECRET,
            "client_auth": conf.OIDC_CLIENT_AUTH,
            "client_key_path": conf.OIDC_CLIENT_KEY,
            "client_key_id": conf.OIDC_CLIENT_KEY_ID,
            "redirect_uri": _absolute(conf, "accounts:callback"),
            "post_logout_redirect_uri": _absolute(conf, "accounts:logged_out"),
            "scope": "openid profile",
            "uses_loa": True,
            "logout_method": conf.OIDC_LOGOUT_METHOD,
        }

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


def _absolute(conf: Any, url_name: str) -> str:
    return f"{conf.BASE_URL}{reverse(url_name)}"


def citizen_provider() -> OidcProvider:
    """ID-porten (TestID in demo) as configured in settings."""
    return identity_providers.configured(settings, slot=CITIZEN)  # type: ignore[return-value]


def staff_provider() -> OidcProvider:
    """The city's identity provider for staff (TestID's staff users in demo)."""
    return identity_providers.configured(settings, slot=STAFF)  # type: ignore[return-value]


def provider_for(key: str) -> OidcProvider:
    if key == STAFF:
        return staff_provider()
    return citizen_provider()
