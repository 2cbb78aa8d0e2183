"""The RSA keys that sign id_tokens: made on first use, kept in the database, rotatable."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.utils import timezone
from jwcrypto import jwk, jws
from jwcrypto.common import JWException

from iktipet.testid.models import SigningKey

ALGORITHM = "RS256"


@lru_cache(maxsize=8)
def _jwk(private_pem: str) -> jwk.JWK:
    return jwk.JWK.from_pem(private_pem.encode())


def _generate() -> SigningKey:
    key = jwk.JWK.generate(kty="RSA", size=2048)
    return SigningKey.objects.create(
        kid=key.thumbprint(),
        private_pem=key.export_to_pem(private_key=True, password=None).decode(),
    )


def _published() -> list[SigningKey]:
    return list(SigningKey.objects.filter(retired_at__isnull=True))


def current_signing_key() -> SigningKey:
    """The newest published key; the first call makes one."""
    key = SigningKey.objects.filter(retired_at__isnull=True).first()
    return key if key is not None else _generate()


@transaction.atomic
def rotate_signing_key() -> SigningKey:
    """Sign with a new key from now on. The previous key stays in the JWKS, so tokens
    signed just before the rotation still verify; older keys are retired."""
    new = _generate()
    previous = [key.pk for key in _published() if key.pk != new.pk]
    SigningKey.objects.filter(pk__in=previous[1:]).update(retired_at=timezone.now())
    return new


def public_jwks() -> dict[str, Any]:
    """The JWKS document: the public half of every published key."""
    keys = []
    for key in _published() or [current_signing_key()]:
        public = _jwk(key.private_pem).export_public(as_dict=True)
        keys.append({**public, "kid": key.kid, "use": "sig", "alg": ALGORITHM})
    return {"keys": keys}


def sign(claims: dict[str, Any]) -> str:
    """A compact RS256 JWS of ``claims`` with the current key's ``kid`` in the header."""
    key = current_signing_key()
    token = jws.JWS(json.dumps(claims, separators=(",", ":")).encode())
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": "JWT"}
    token.add_signature(_jwk(key.private_pem), alg=ALGORITHM, protected=json.dumps(header))
    return token.serialize(compact=True)


def key_set() -> jwk.JWKSet:
    """Every key TestID ever signed with (retired ones too): for reading its own tokens."""
    keys = jwk.JWKSet()
    for key in SigningKey.objects.all():
        public = jwk.JWK(**{**_jwk(key.private_pem).export_public(as_dict=True), "kid": key.kid})
        keys.add(public)
    return keys


def verified_claims(token: str) -> dict[str, Any] | None:
    """The claims of a JWS TestID signed, whatever its age; None if it did not sign it."""
    try:
        parsed = jws.JWS()
        parsed.deserialize(token)
        parsed.verify(key_set(), alg=ALGORITHM)
        claims = json.loads(parsed.payload)
    except (JWException, ValueError, TypeError, KeyError):
        return None
    return claims if isinstance(claims, dict) else None
