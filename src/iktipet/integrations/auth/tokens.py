"""Reading a bearer token: Maskinporten's shape, checked against the issuer's JWKS.

Only asymmetric algorithms are accepted and the algorithm must match the key, so neither
``alg: none`` nor an HS256 token "signed" with a public key gets through.
"""

from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from joserfc import jwt
from joserfc.errors import JoseError

from iktipet.integrations.auth.jwks import IssuerUnavailable, key_set, trusted_issuers

ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "PS256")
#: Clock skew we allow on ``exp``/``iat``/``nbf``.
LEEWAY_SECONDS = 30
#: A longer-lived token is refused: Maskinporten issues them for 120 s by default.
MAX_LIFETIME_SECONDS = 3600
CONSUMER_ID = re.compile(r"^0192:(\d{9})$")


class TokenRefused(Exception):
    """Not a token we accept. ``reason`` is for logs and the problem ``detail``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AccessToken:
    issuer: str
    orgnr: str
    scopes: frozenset[str]
    jti: str
    client_id: str
    expires_at: int


def _unverified_header(token: str) -> dict[str, Any]:
    try:
        segment = token.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, IndexError, UnicodeDecodeError) as exc:
        raise TokenRefused("malformed token") from exc
    if not isinstance(header, dict):
        raise TokenRefused("malformed token")
    return header


def _unverified_issuer(token: str) -> str:
    try:
        segment = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, IndexError, UnicodeDecodeError) as exc:
        raise TokenRefused("malformed token") from exc
    issuer = claims.get("iss") if isinstance(claims, dict) else None
    if not isinstance(issuer, str):
        raise TokenRefused("no issuer")
    return issuer


def read_access_token(token: str) -> AccessToken:
    """The verified claims of ``token``, or :class:`TokenRefused` saying why not."""
    if token.count(".") != 2:
        raise TokenRefused("malformed token")
    header = _unverified_header(token)
    if header.get("alg") not in ALGORITHMS:
        raise TokenRefused("algorithm not accepted")
    issuer = _unverified_issuer(token)
    if issuer not in trusted_issuers():
        raise TokenRefused("issuer not trusted")
    kid = header.get("kid")
    try:
        keys = key_set(issuer, kid if isinstance(kid, str) else None)
        verified = jwt.decode(token, keys, algorithms=list(ALGORITHMS))
    except IssuerUnavailable as exc:
        raise TokenRefused(f"issuer keys unavailable ({exc})") from exc
    except (JoseError, ValueError) as exc:
        raise TokenRefused("bad signature or unknown key") from exc
    return _checked(verified.claims, issuer)


def _checked(claims: dict[str, Any], issuer: str) -> AccessToken:
    now = time.time()
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or not isinstance(iat, int | float):
        raise TokenRefused("exp and iat are required")
    if exp + LEEWAY_SECONDS < now:
        raise TokenRefused("expired")
    if iat - LEEWAY_SECONDS > now or exp - iat > MAX_LIFETIME_SECONDS:
        raise TokenRefused("issued in the future or lives too long")
    nbf = claims.get("nbf")
    if isinstance(nbf, int | float) and nbf - LEEWAY_SECONDS > now:
        raise TokenRefused("not yet valid")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if settings.API_AUDIENCE not in audiences:
        raise TokenRefused("wrong audience")
    consumer = claims.get("consumer")
    found = CONSUMER_ID.match(str(consumer.get("ID", ""))) if isinstance(consumer, dict) else None
    if found is None:
        raise TokenRefused("no consumer organisation")
    scope = claims.get("scope")
    if not isinstance(scope, str):
        raise TokenRefused("no scope")
    jti = claims.get("jti")
    return AccessToken(
        issuer=issuer,
        orgnr=found.group(1),
        scopes=frozenset(scope.split()),
        jti=str(jti or ""),
        client_id=str(claims.get("client_id", "")),
        expires_at=int(exp),
    )
