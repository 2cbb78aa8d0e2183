"""Tokens: TestID's Maskinporten tokens work; forged, foreign, expired, wrongly addressed or
under-scoped ones are refused with problem details, and nothing is served."""

from __future__ import annotations

import base64
import json
import time

import httpx
from jwcrypto import jwk

from support.backoffice import make_backoffice, sign

PROBLEM = "application/problem+json"


def _claims(backoffice, **extra):
    now = int(time.time())
    return {
        "iss": backoffice.issuer,
        "aud": f"{backoffice.base}/api/v1",
        "scope": "iktipet:catalog.read",
        "consumer": {
            "authority": "iso6523-actorid-upis",
            "ID": f"0192:{backoffice.api_client.orgnr}",
        },
        "iat": now,
        "exp": now + 120,
        "jti": "x",
        **extra,
    }


def _get(backoffice, token, path="/catalog/services"):
    return httpx.get(
        f"{backoffice.base}/api/v1{path}", headers={"Authorization": f"Bearer {token}"}, timeout=20
    )


def test_a_testid_token_reads_the_catalogue_with_rate_limit_headers(backoffice):
    response = _get(backoffice, backoffice.token())
    assert response.status_code == 200, response.text
    assert isinstance(response.json(), list)
    assert int(response.headers["RateLimit-Remaining"]) < int(response.headers["RateLimit-Limit"])
    assert "RateLimit-Reset" in response.headers

    from iktipet.core.models import AuditEvent

    row = AuditEvent.objects.filter(action="api.call").latest("at")
    assert row.actor_label == f"api:{backoffice.api_client.orgnr}"
    assert row.details["orgnr"] == backoffice.api_client.orgnr


def test_no_token_is_401_problem(backoffice):
    response = httpx.get(f"{backoffice.base}/api/v1/catalog/services", timeout=20)
    assert response.status_code == 401
    assert response.headers["Content-Type"] == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_a_foreign_key_is_401_even_with_testids_issuer_and_kid(backoffice):
    from iktipet.testid.keys import current_signing_key

    forged = sign(jwk.JWK.generate(kty="RSA", size=2048), _claims(backoffice))
    assert _get(backoffice, forged).status_code == 401
    # The same, claiming TestID's own kid: the signature still does not verify.
    stolen_kid = sign(
        jwk.JWK.generate(kty="RSA", size=2048), _claims(backoffice), kid=current_signing_key().kid
    )
    response = _get(backoffice, stolen_kid)
    assert response.status_code == 401
    assert response.headers["Content-Type"] == PROBLEM


def test_a_foreign_issuer_is_401(backoffice):
    key = jwk.JWK.generate(kty="RSA", size=2048)
    assert (
        _get(backoffice, sign(key, _claims(backoffice, iss="https://evil.example/"))).status_code
        == 401
    )


def test_alg_none_and_hs256_with_the_public_key_are_401(backoffice):
    from iktipet.testid.keys import public_jwks

    def b64(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    none_token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(_claims(backoffice))}."
    assert _get(backoffice, none_token).status_code == 401
    public = jwk.JWK(**public_jwks()["keys"][0])
    secret = jwk.JWK(
        kty="oct", k=base64.urlsafe_b64encode(public.export_to_pem()).rstrip(b"=").decode()
    )
    hs = sign(secret, _claims(backoffice), alg="HS256")
    assert _get(backoffice, hs).status_code == 401


def test_wrong_audience_is_401(backoffice):
    token = backoffice.token(resource="https://other.example/api")
    response = _get(backoffice, token)
    assert response.status_code == 401
    assert response.json()["detail"] == "wrong audience"


def test_an_expired_token_is_401(backoffice, settings):
    from iktipet.testid.keys import sign as testid_sign

    claims = _claims(backoffice, iat=int(time.time()) - 600, exp=int(time.time()) - 300)
    response = _get(backoffice, testid_sign(claims))
    assert response.status_code == 401
    assert response.json()["detail"] == "expired"


def test_a_missing_scope_is_403(backoffice):
    token = backoffice.token("iktipet:catalog.read")
    response = _get(backoffice, token, "/cases")
    assert response.status_code == 403
    assert response.headers["Content-Type"] == PROBLEM
    assert "insufficient_scope" in response.headers["WWW-Authenticate"]


def test_a_scope_testid_gives_but_the_city_did_not_grant_is_403(api_site):

    reader = make_backoffice(api_site, "910000002", [], scopes=["iktipet:catalog.read"])
    assert _get(reader, reader.token(), "/cases").status_code == 403
    assert _get(reader, reader.token()).status_code == 200


def test_an_unregistered_organisation_is_403(backoffice):
    from iktipet.integrations.models import ApiClient

    ApiClient.objects.filter(pk=backoffice.api_client.pk).update(active=False)
    assert _get(backoffice, backoffice.token()).status_code == 403


def test_the_rate_limit_answers_429_with_retry_after(backoffice, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    token = backoffice.token()
    statuses = [_get(backoffice, token).status_code for _ in range(3)]
    assert statuses[:2] == [200, 200]
    last = _get(backoffice, token)
    assert last.status_code == 429
    assert int(last.headers["Retry-After"]) >= 1
    assert last.headers["RateLimit-Remaining"] == "0"


def test_testid_refuses_a_replayed_grant(backoffice):
    grant = backoffice.grant("iktipet:catalog.read")
    data = {"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": grant}
    first = httpx.post(f"{backoffice.issuer}/token", data=data, timeout=10)
    again = httpx.post(f"{backoffice.issuer}/token", data=data, timeout=10)
    assert first.status_code == 200
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    claims = json.loads(base64.urlsafe_b64decode(first.json()["access_token"].split(".")[1] + "=="))
    assert claims["consumer"]["ID"] == f"0192:{backoffice.api_client.orgnr}"
