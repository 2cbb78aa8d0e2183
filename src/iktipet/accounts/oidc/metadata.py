"""Discovery metadata and signing keys, fetched over HTTP and cached (ID-porten: about 24 h)."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import httpx
from django.core.cache import cache
from joserfc.errors import JoseError
from joserfc.jwk import Key, KeySet, import_key

from iktipet.accounts.oidc.errors import ProviderUnavailable
from iktipet.accounts.oidc.provider import OidcProvider

logger = logging.getLogger(__name__)

METADATA_TTL = 24 * 3600
JWKS_TTL = 24 * 3600
_REQUIRED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


def _cache_key(kind: str, url: str) -> str:
    return f"accounts:oidc:{kind}:{hashlib.sha256(url.encode()).hexdigest()[:32]}"


def get_json(provider: OidcProvider, url: str, what: str) -> dict[str, Any]:
    """GET a JSON object; anything else (no answer, 5xx, HTML) is ProviderUnavailable."""
    try:
        response = httpx.get(
            url,
            timeout=provider.timeout,
            headers={"Accept": "application/json"},
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        logger.warning("identity provider unreachable", extra={"what": what, "error": repr(exc)})
        raise ProviderUnavailable(f"{what}_unreachable", type(exc).__name__) from exc
    if response.status_code != 200:
        logger.warning(
            "identity provider error", extra={"what": what, "status": response.status_code}
        )
        raise ProviderUnavailable(f"{what}_status", str(response.status_code))
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ProviderUnavailable(f"{what}_invalid", "not a JSON object")
    return data


def provider_metadata(provider: OidcProvider) -> dict[str, Any]:
    """The provider's ``/.well-known/openid-configuration``, cached for 24 hours."""
    if not provider.issuer:
        raise ProviderUnavailable("no_issuer")
    url = f"{provider.issuer}/.well-known/openid-configuration"
    key = _cache_key("meta", url)
    cached = cache.get(key)
    if cached is not None:
        return cached
    data = get_json(provider, url, "discovery")
    missing = [name for name in _REQUIRED if not isinstance(data.get(name), str)]
    if missing:
        raise ProviderUnavailable("discovery_invalid", f"missing {', '.join(missing)}")
    # OIDC Discovery §4.3: the issuer in the document must be the one we asked.
    if data["issuer"].rstrip("/") != provider.issuer:
        raise ProviderUnavailable("discovery_issuer_mismatch", data["issuer"])
    cache.set(key, data, METADATA_TTL)
    return data


def _signing_keys(document: dict[str, Any]) -> KeySet:
    keys: list[Key] = []
    entries = document.get("keys")
    if not isinstance(entries, list):
        raise ProviderUnavailable("jwks_invalid", "no keys")
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        try:
            keys.append(import_key(entry))  # type: ignore[arg-type]
        except (JoseError, ValueError, TypeError, KeyError):
            # One key we cannot read (an unknown curve, say) must not hide the others.
            logger.warning("skipping unreadable key in JWKS", extra={"kid": entry.get("kid")})
    return KeySet(keys)


def provider_keys(provider: OidcProvider, *, refresh: bool = False) -> KeySet:
    """The provider's signing keys; ``refresh`` fetches them again (a new kid appeared)."""
    uri = provider_metadata(provider)["jwks_uri"]
    key = _cache_key("jwks", uri)
    document = None if refresh else cache.get(key)
    if document is None:
        document = get_json(provider, uri, "jwks")
        cache.set(key, document, JWKS_TTL)
    return _signing_keys(document)


def forget(provider: OidcProvider) -> None:
    """Drop the cached metadata and keys (an operator changed the provider)."""
    url = f"{provider.issuer}/.well-known/openid-configuration"
    meta = cache.get(_cache_key("meta", url))
    if meta:
        cache.delete(_cache_key("jwks", meta.get("jwks_uri", "")))
    cache.delete(_cache_key("meta", url))
