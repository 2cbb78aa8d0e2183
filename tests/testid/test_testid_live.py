"""TestID over real HTTP, as the portal reaches it: discovery, a browser, Authlib's client."""

from __future__ import annotations

import re
import secrets

import httpx
import pytest
from authlib.common.security import generate_token
from joserfc import jwt
from joserfc.jwk import KeySet

KARI = "17819049912"


@pytest.fixture
def live_testid(settings, live_server):
    settings.TESTID_ENABLED = True
    settings.ROOT_URLCONF = "iktipet.testid.site_urls"
    settings.BASE_URL = live_server.url
    return settings


def _log_in_in_a_browser(authorize_url: str, form: dict[str, str]) -> str:
    """What a person does on the login page; returns where TestID sends the browser."""
    with httpx.Client(follow_redirects=False, timeout=10) as browser:
        page = browser.get(authorize_url)
        assert page.status_code == 200, page.text[:500]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token
        answer = browser.post(
            authorize_url,
            data={"csrfmiddlewaretoken": token.group(1), "action": "login", **form},
        )
        assert answer.status_code == 302, answer.text[:2000]
        return answer.headers["location"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.filterwarnings("ignore:The httpx module is deprecated")
def test_authlib_client_logs_in_against_testid_over_http(live_testid, live_server):
    from authlib.integrations.httpx_client import OAuth2Client

    from iktipet.testid.clients import client_secret_for

    base = live_server.url
    discovery = httpx.get(f"{base}/testid/.well-known/openid-configuration", timeout=10).json()
    assert discovery["issuer"] == f"{base}/testid"
    client_id = live_testid.OIDC_CLIENT_ID
    redirect_uri = f"{base}/logg-inn/callback/"
    nonce, verifier = secrets.token_urlsafe(16), generate_token(64)

    with OAuth2Client(
        client_id=client_id,
        client_secret=client_secret_for(client_id),
        scope="openid",
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
        timeout=10,
    ) as rp:
        url, state = rp.create_authorization_url(
            discovery["authorization_endpoint"],
            code_verifier=verifier,
            nonce=nonce,
            acr_values="idporten-loa-high",
        )
        location = _log_in_in_a_browser(url, {"fnr": KARI, "level": "high"})
        assert location.startswith(redirect_uri)
        token = rp.fetch_token(
            discovery["token_endpoint"], authorization_response=location, code_verifier=verifier
        )
        info = rp.get(discovery["userinfo_endpoint"]).json()

    keys = KeySet.import_key_set(httpx.get(discovery["jwks_uri"], timeout=10).json())
    id_token = jwt.decode(token["id_token"], keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": discovery["issuer"]},
        aud={"essential": True, "value": client_id},
        nonce={"essential": True, "value": nonce},
        acr={"essential": True, "value": "idporten-loa-high"},
        sid={"essential": True},
    ).validate(id_token.claims)
    assert id_token.claims["pid"] == KARI
    assert info["pid"] == KARI and info["sub"] == id_token.claims["sub"]
    assert state in location
