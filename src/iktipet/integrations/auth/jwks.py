"""Trusted token issuers, their metadata and key sets: fetched over HTTP, cached, and
fetched again when a token names a key the cached set does not hold (the issuer rotated).

A refetch for an unknown ``kid`` happens at most once a minute per issuer, so tokens with
made-up key ids cannot make us hammer the issuer.
"""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache
from joserfc.jwk import KeySet

METADATA_SECONDS = 24 * 3600
JWKS_SECONDS = 3600
REFETCH_PAUSE_SECONDS = 60
TIMEOUT_SECONDS = 5


class IssuerUnavailable(Exception):
    """The issuer's metadata or key set could not be fetched or read."""


def trusted_issuers() -> list[str]:
    """``IKTIPET_API_TOKEN_ISSUERS``, and TestID's Maskinporten when TestID is on."""
    issuers = list(settings.API_TOKEN_ISSUERS)
    if settings.TESTID_ENABLED:
        issuers.append(f"{settings.BASE_URL.rstrip('/')}/testid/maskinporten")
    return issuers


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = httpx.get(url, timeout=TIMEOUT_SECONDS, follow_redirects=False)
        response.raise_for_status()
        document = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise IssuerUnavailable(f"{url}: {exc.__class__.__name__}") from exc
    if not isinstance(document, dict):
        raise IssuerUnavailable(f"{url}: not a JSON object")
    return document


def metadata(issuer: str) -> dict[str, Any]:
    """The issuer's OAuth 2.0 authorization server metadata (RFC 8414), as Maskinporten's."""
    key = f"api-issuer-meta:{issuer}"
    found = cache.get(key)
    if found is None:
        found = _get_json(issuer.rstrip("/") + "/.well-known/oauth-authorization-server")
        if found.get("issuer") != issuer or not isinstance(found.get("jwks_uri"), str):
            raise IssuerUnavailable(f"{issuer}: metadata names another issuer or no jwks_uri")
        cache.set(key, found, METADATA_SECONDS)
    return found


def _fetch_keys(issuer: str) -> dict[str, Any]:
    document = _get_json(metadata(issuer)["jwks_uri"])
    if not isinstance(document.get("keys"), list):
        raise IssuerUnavailable(f"{issuer}: the JWKS has no keys")
    cache.set(f"api-issuer-jwks:{issuer}", document, JWKS_SECONDS)
    return document


def key_set(issuer: str, kid: str | None) -> KeySet:
    """The issuer's keys, holding ``kid`` if the issuer publishes it."""
    document = cache.get(f"api-issuer-jwks:{issuer}")
    if document is None or (
        kid is not None
        and kid not in _kids(document)
        and cache.add(f"api-issuer-refetch:{issuer}", 1, REFETCH_PAUSE_SECONDS)
    ):
        document = _fetch_keys(issuer)
    try:
        return KeySet.import_key_set(document)
    except Exception as exc:  # joserfc raises several types for a malformed key
        raise IssuerUnavailable(f"{issuer}: unreadable JWKS") from exc


def _kids(document: dict[str, Any]) -> set[str]:
    return {str(key.get("kid")) for key in document.get("keys", []) if isinstance(key, dict)}
