"""Reads of the municipality and its agencies (public data: no actor check needed)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import DatabaseError

from iktipet.core.models import Agency, Municipality

_CACHE_KEY = "core:municipality:v1"
_AGENCIES_KEY = "core:agencies:v1"


class _Fallback:
    """Shown when no municipality is configured yet (a fresh install before `demo`/`load`)."""

    name = "Iktipet"
    kommunenummer = ""
    theme = "digdir"
    website = ""


def current_municipality() -> Municipality | _Fallback:
    cached = cache.get(_CACHE_KEY)
    if cached is not None:
        return cached
    try:
        municipality = Municipality.objects.order_by("pk").first()
    except DatabaseError:
        return _Fallback()
    value: Municipality | _Fallback = municipality or _Fallback()
    cache.set(_CACHE_KEY, value, 60)
    return value


def forget_municipality() -> None:
    cache.delete_many([_CACHE_KEY, _AGENCIES_KEY])


def agencies() -> list[Agency]:
    """Every agency, cached for a minute: the front page lists them on every request."""
    cached = cache.get(_AGENCIES_KEY)
    if cached is not None:
        return list(cached)
    value = list(Agency.objects.select_related("municipality").order_by("name_nb"))
    cache.set(_AGENCIES_KEY, value, 60)
    return value
