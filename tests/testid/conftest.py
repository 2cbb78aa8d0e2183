"""TestID switched on for a test, and a small relying party that drives it through HTTP."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

KARI = "17819049912"  # Kari Nordmann-Test in demo/persons.json (synthetic, Tenor style)


@pytest.fixture
def testid(settings):
    """TestID on, mounted, with BASE_URL pointing at the test client's host."""
    settings.TESTID_ENABLED = True
    settings.ROOT_URLCONF = "iktipet.testid.site_urls"
    settings.BASE_URL = "http://testserver"
    return settings


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def query_of(location: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


@dataclass
class Authorization:
    """One authorization request as a relying party would make it."""

    client_id: str
    redirect_uri: str
    verifier: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return "/testid/authorize?" + urlencode(self.params)


class RelyingParty:
    """Drives TestID with Django's test client the way the portal does over HTTP."""

    KARI = KARI
    query_of = staticmethod(query_of)

    def __init__(self, client: Any, settings: Any) -> None:
        self.client = client
        self.settings = settings

    def authorization(self, staff: bool = False, **overrides: str) -> Authorization:
        client_id = self.settings.STAFF_OIDC_CLIENT_ID if staff else self.settings.OIDC_CLIENT_ID
        path = "/ansatt/logg-inn/callback/" if staff else "/logg-inn/callback/"
        redirect_uri = f"{self.settings.BASE_URL}{path}"
        verifier, challenge = pkce_pair()
        params = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": "openid profile",
            "state": secrets.token_urlsafe(16),
            "nonce": secrets.token_urlsafe(16),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "acr_values": "idporten-loa-substantial",
            "ui_locales": "nb",
        }
        params.update(overrides)
        params = {key: value for key, value in params.items() if value is not None}
        return Authorization(client_id, redirect_uri, verifier, params)

    def log_in(self, auth: Authorization, **form: str) -> Any:
        """POST the login form; returns the response (a redirect with a code on success)."""
        data = {"action": "login", **form}
        return self.client.post(auth.url, data)

    def code_after(self, auth: Authorization, **form: str) -> str:
        response = self.log_in(auth, **form)
        assert response.status_code == 302, response.content.decode()[:2000]
        location = response["Location"]
        assert location.startswith(auth.redirect_uri + "?")
        query = query_of(location)
        assert query["state"] == auth.params["state"]
        return query["code"]

    def token(
        self, auth: Authorization, code: str, method: str = "post", verifier: str | None = None
    ) -> Any:
        from iktipet.testid.clients import client_secret_for

        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": auth.redirect_uri,
            "code_verifier": auth.verifier if verifier is None else verifier,
        }
        secret = client_secret_for(auth.client_id)
        if method == "basic":
            raw = f"{auth.client_id}:{secret}".encode()
            header = "Basic " + base64.b64encode(raw).decode()
            return self.client.post("/testid/token", data, HTTP_AUTHORIZATION=header)
        data.update(client_id=auth.client_id, client_secret=secret)
        return self.client.post("/testid/token", data)

    def tokens(self, staff: bool = False, form: dict[str, str] | None = None, **overrides: str):
        """A whole login: (authorization, token response JSON)."""
        auth = self.authorization(staff=staff, **overrides)
        if form is None:
            citizen = {"fnr": KARI, "level": "substantial"}
            form = {"staff": "sara.saksbehandler"} if staff else citizen
        code = self.code_after(auth, **form)
        response = self.token(auth, code)
        assert response.status_code == 200, response.content
        return auth, response.json()

    @staticmethod
    def error_summary(html: str) -> list[str]:
        block = html.split('class="ds-error-summary"', 1)
        if len(block) < 2:
            return []
        summary = block[1].split("</ul>", 1)[0]
        items = re.findall(r"<li>.*?>(.*?)</a>", summary, flags=re.S)
        return [re.sub(r"\s+", " ", text).strip() for text in items]

    def verified_id_token(self, id_token: str) -> Any:
        """The id_token checked with Authlib's joserfc against the published JWKS."""
        from joserfc import jwt
        from joserfc.jwk import KeySet

        keys = KeySet.import_key_set(self.client.get("/testid/jwks.json").json())
        return jwt.decode(id_token, keys, algorithms=["RS256"])


@pytest.fixture
def rp(testid, client, db) -> RelyingParty:
    return RelyingParty(client, testid)
