"""id_token validation (OIDC Core §3.1.3.7) plus ID-porten's rule that the client checks acr."""

from __future__ import annotations

import hmac
import time
from typing import Any

from joserfc import jwt
from joserfc.errors import BadSignatureError, InvalidKeyIdError, JoseError
from joserfc.jwk import Key, KeySet
from joserfc.jws import extract_compact

from iktipet.accounts import loa
from iktipet.accounts.oidc.errors import TokenValidationError
from iktipet.accounts.oidc.metadata import provider_keys, provider_metadata
from iktipet.accounts.oidc.provider import OidcProvider

#: Clock skew we tolerate between us and the provider, in seconds.
LEEWAY = 60
#: An id_token issued longer ago than this is refused even if it has not expired.
MAX_AGE = 10 * 60
#: Asymmetric algorithms only: never "none", never an HMAC keyed with something public.
ALLOWED_ALGS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
_KTY = {"R": "RSA", "P": "RSA", "E": "EC"}


def _header(id_token: str) -> dict[str, Any]:
    try:
        return dict(extract_compact(id_token.encode()).headers())
    except (JoseError, ValueError, TypeError, UnicodeError) as exc:
        raise TokenValidationError("malformed", type(exc).__name__) from exc


def _allowed_algs(meta: dict[str, Any]) -> set[str]:
    advertised = meta.get("id_token_signing_alg_values_supported")
    if not isinstance(advertised, list):
        return {"RS256"}
    return {alg for alg in advertised if alg in ALLOWED_ALGS}


def _find_key(keys: KeySet, kid: str | None, alg: str) -> Key | None:
    if kid:
        try:
            return keys.get_by_kid(kid)
        except InvalidKeyIdError:
            return None
    kty = "OKP" if alg == "EdDSA" else _KTY[alg[0]]
    candidates = [key for key in keys if key.key_type == kty]
    return candidates[0] if len(candidates) == 1 else None


def _verified_claims(provider: OidcProvider, id_token: str) -> dict[str, Any]:
    meta = provider_metadata(provider)
    header = _header(id_token)
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in _allowed_algs(meta):
        raise TokenValidationError("alg_not_allowed", str(alg)[:20])
    kid = header.get("kid") if isinstance(header.get("kid"), str) else None
    key = _find_key(provider_keys(provider), kid, alg)
    if key is None:
        # The provider may have rotated its keys: fetch them once more, then give up.
        key = _find_key(provider_keys(provider, refresh=True), kid, alg)
    if key is None:
        raise TokenValidationError("unknown_kid", (kid or "")[:64])
    try:
        token = jwt.decode(id_token, key, algorithms=[alg])
    except BadSignatureError as exc:
        raise TokenValidationError("bad_signature") from exc
    except (JoseError, ValueError, TypeError) as exc:
        raise TokenValidationError("malformed", type(exc).__name__) from exc
    return dict(token.claims)


def _check_audience(claims: dict[str, Any], client_id: str) -> None:
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud
    if not isinstance(audiences, list) or client_id not in audiences:
        raise TokenValidationError("wrong_audience")
    azp = claims.get("azp")
    if (len(audiences) > 1 or azp is not None) and azp != client_id:
        raise TokenValidationError("wrong_audience", "azp")


def _check_times(claims: dict[str, Any], now: float) -> None:
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise TokenValidationError("no_exp")
    if not isinstance(iat, int | float) or isinstance(iat, bool):
        raise TokenValidationError("no_iat")
    if now > exp + LEEWAY:
        raise TokenValidationError("expired")
    if iat > now + LEEWAY:
        raise TokenValidationError("iat_in_future")
    if now - iat > MAX_AGE + LEEWAY:
        raise TokenValidationError("iat_too_old")
    nbf = claims.get("nbf")
    if isinstance(nbf, int | float) and nbf > now + LEEWAY:
        raise TokenValidationError("not_yet_valid")


def validate_id_token(
    provider: OidcProvider,
    id_token: str,
    *,
    nonce: str,
    level: str | None,
    now: float | None = None,
) -> dict[str, Any]:
    """The claims of ``id_token`` once every check passed; else TokenValidationError."""
    claims = _verified_claims(provider, id_token)
    meta = provider_metadata(provider)
    if claims.get("iss") != meta["issuer"]:
        raise TokenValidationError("wrong_issuer")
    _check_audience(claims, provider.client_id)
    _check_times(claims, time.time() if now is None else now)
    token_nonce = claims.get("nonce")
    if not isinstance(token_nonce, str) or not hmac.compare_digest(
        token_nonce.encode(), nonce.encode()
    ):
        raise TokenValidationError("wrong_nonce")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise TokenValidationError("no_sub")
    if provider.uses_loa and level:
        acr = claims.get("acr")
        if acr is None:
            raise TokenValidationError("acr_missing")
        if not loa.satisfies(loa.level_of(acr), level):
            raise TokenValidationError("acr_insufficient", str(acr)[:40])
    return claims
