"""TestID's Maskinporten: the JWT-bearer grant (RFC 7523) for registered test clients.

A client signs a grant ``{iss: client_id, aud: <this issuer>, scope, iat, exp, jti}`` with its
key (``kid`` in the header); the answer is an access token shaped as Maskinporten's, signed
with TestID's key and published in TestID's JWKS. The rules are Maskinporten's: the grant
lives at most 120 s, its ``jti`` is single-use, and only scopes granted to the client are given.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from jwcrypto import jwk, jws
from jwcrypto.common import JWException

from iktipet.testid.conf import issuer
from iktipet.testid.keys import sign
from iktipet.testid.models import MachineClient

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer"
GRANT_MAX_SECONDS = 120
TOKEN_SECONDS = 120
ALGORITHMS = ["RS256", "RS384", "RS512"]


def machine_issuer() -> str:
    return f"{issuer()}/maskinporten"


class GrantRefused(Exception):
    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error, self.description = error, description


def register_test_client(
    client_id: str, orgnr: str, scopes: list[str], public_jwk: dict[str, Any] | None = None
) -> MachineClient:
    """Register (or update) a test client; without a public key, TestID makes a key pair
    and keeps the private half for ``testid_api_token``."""
    client = MachineClient.objects.filter(client_id=client_id).first()
    private_pem = client.private_pem if client else ""
    if public_jwk is None and not private_pem:
        key = jwk.JWK.generate(kty="RSA", size=2048)
        private_pem = key.export_to_pem(private_key=True, password=None).decode()
    if public_jwk is None:
        key = jwk.JWK.from_pem(private_pem.encode())
        public_jwk = {**key.export_public(as_dict=True), "kid": key.thumbprint()}
    else:
        private_pem = ""
    client, _created = MachineClient.objects.update_or_create(
        client_id=client_id,
        defaults={
            "orgnr": orgnr,
            "scopes": scopes,
            "public_jwk": public_jwk,
            "private_pem": private_pem,
        },
    )
    return client


def signed_grant(client: MachineClient, scope: str, resource: str = "") -> str:
    """A grant for a client whose private key TestID keeps (the demo's)."""
    key = jwk.JWK.from_pem(client.private_pem.encode())
    now = int(time.time())
    claims = {
        "iss": client.client_id,
        "aud": machine_issuer(),
        "scope": scope,
        "iat": now,
        "exp": now + 60,
        "jti": secrets.token_urlsafe(16),
    }
    if resource:
        claims["resource"] = resource
    header = {"alg": "RS256", "kid": client.public_jwk.get("kid", ""), "typ": "JWT"}
    token = jws.JWS(json.dumps(claims).encode())
    token.add_signature(key, alg="RS256", protected=json.dumps(header))
    return token.serialize(compact=True)


def _grant_claims(assertion: str) -> tuple[MachineClient, dict[str, Any]]:
    try:  # read, not yet verified: the issuer names the key to verify with
        segment = assertion.split(".")[1]
        payload = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
        client_id = str(payload.get("iss", ""))
    except (ValueError, IndexError, TypeError, AttributeError) as exc:
        raise GrantRefused("invalid_grant", "the assertion is not a JWT") from exc
    client = MachineClient.objects.filter(client_id=client_id).first()
    if client is None:
        raise GrantRefused("invalid_client", "unknown client")
    try:
        verified = jws.JWS()
        verified.deserialize(assertion)
        if verified.jose_header.get("alg") not in ALGORITHMS:
            raise GrantRefused("invalid_grant", "algorithm not accepted")
        verified.verify(jwk.JWK(**client.public_jwk), alg=verified.jose_header["alg"])
        claims = json.loads(verified.payload)
    except (JWException, ValueError, TypeError) as exc:
        raise GrantRefused("invalid_grant", "the signature does not verify") from exc
    if not isinstance(claims, dict):
        raise GrantRefused("invalid_grant", "the claims are not an object")
    return client, claims


def issue_token(grant_type: str, assertion: str) -> dict[str, Any]:
    """The token response for a grant, or :class:`GrantRefused`."""
    if grant_type != GRANT_TYPE:
        raise GrantRefused("unsupported_grant_type", "only the JWT-bearer grant")
    client, claims = _grant_claims(assertion)
    now = time.time()
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int | float) or not isinstance(exp, int | float):
        raise GrantRefused("invalid_grant", "iat and exp are required")
    if exp < now or iat > now + 10 or exp - iat > GRANT_MAX_SECONDS:
        raise GrantRefused("invalid_grant", "expired, or valid for more than 120 s")
    audiences = (machine_issuer(), f"{machine_issuer()}/", f"{machine_issuer()}/token")
    if claims.get("aud") not in audiences:
        raise GrantRefused("invalid_grant", "aud must be this issuer")
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti:
        raise GrantRefused("invalid_grant", "jti is required")
    if not cache.add(f"testid-grant-jti:{client.client_id}:{jti}", 1, GRANT_MAX_SECONDS + 30):
        raise GrantRefused("invalid_grant", "jti already used")
    asked = set(str(claims.get("scope", "")).split())
    if not asked or not asked <= set(client.scopes):
        raise GrantRefused("invalid_scope", "scope not granted to this client")
    scope = " ".join(sorted(asked))
    issued = int(now)
    resource = claims.get("resource")
    access = {
        "iss": machine_issuer(),
        "aud": resource if isinstance(resource, str) and resource else settings.API_AUDIENCE,
        "scope": scope,
        "client_id": client.client_id,
        "client_amr": "private_key_jwt",
        "token_type": "Bearer",
        "consumer": {"authority": "iso6523-actorid-upis", "ID": f"0192:{client.orgnr}"},
        "iat": issued,
        "exp": issued + TOKEN_SECONDS,
        "jti": secrets.token_urlsafe(16),
    }
    return {
        "access_token": sign(access),
        "token_type": "Bearer",
        "expires_in": TOKEN_SECONDS,
        "scope": scope,
    }


def metadata() -> dict[str, Any]:
    """Authorization server metadata (RFC 8414), as Maskinporten's well-known document."""
    return {
        "issuer": machine_issuer(),
        "token_endpoint": f"{machine_issuer()}/token",
        "jwks_uri": f"{issuer()}/jwks.json",
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "grant_types_supported": [GRANT_TYPE],
        "token_endpoint_auth_signing_alg_values_supported": ALGORITHMS,
    }
