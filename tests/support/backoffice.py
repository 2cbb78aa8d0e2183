"""A back-office system for the API tests: its key, its TestID machine client and its API
client; tokens got the production way (a signed JWT grant to TestID's token endpoint)."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

import httpx
from jwcrypto import jwk, jws

ORGNR = "910000001"
SCOPES = [
    "iktipet:catalog.read",
    "iktipet:cases.read",
    "iktipet:cases.write",
    "iktipet:events.read",
]


def sign(key: jwk.JWK, claims: dict[str, Any], **header: Any) -> str:
    token = jws.JWS(json.dumps(claims).encode())
    protected = {"alg": "RS256", "kid": key.thumbprint(), "typ": "JWT", **header}
    token.add_signature(key, alg=protected["alg"], protected=json.dumps(protected))
    return token.serialize(compact=True)


@dataclass
class Backoffice:
    """A back-office system: its key, its TestID client and its API client."""

    base: str
    key: jwk.JWK
    client_id: str
    api_client: Any

    @property
    def issuer(self) -> str:
        return f"{self.base}/testid/maskinporten"

    def grant(self, scope: str, **extra: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": self.client_id,
            "aud": self.issuer,
            "scope": scope,
            "iat": now,
            "exp": now + 60,
            "jti": secrets.token_urlsafe(8),
            "resource": f"{self.base}/api/v1",
            **extra,
        }
        return sign(self.key, claims)

    def token(self, scope: str = " ".join(SCOPES), **extra: Any) -> str:
        response = httpx.post(
            f"{self.issuer}/token",
            data={
                "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion": self.grant(scope, **extra),
            },
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def http(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token or self.token()}"}
        return httpx.Client(base_url=f"{self.base}/api/v1", headers=headers, timeout=20)


def make_backoffice(base: str, orgnr: str, agency_slugs: list[str], scopes=SCOPES) -> Backoffice:
    from iktipet.core.models import Agency
    from iktipet.integrations.models import ApiClient
    from iktipet.integrations.services import sync_service_roles
    from iktipet.testid.machine import register_test_client

    key = jwk.JWK.generate(kty="RSA", size=2048)
    client_id = f"fagsystem-{orgnr}"
    register_test_client(
        client_id, orgnr, list(SCOPES), {**key.export_public(as_dict=True), "kid": key.thumbprint()}
    )
    api_client = ApiClient.objects.create(orgnr=orgnr, name=f"Fagsystem {orgnr}", scopes=scopes)
    api_client.agencies.set(Agency.objects.filter(slug__in=agency_slugs))
    sync_service_roles(api_client)
    return Backoffice(base, key, client_id, api_client)
