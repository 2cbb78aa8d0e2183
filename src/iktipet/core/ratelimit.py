"""A fixed-window rate limit backed by the cache (shared through Redis when configured)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits per ``seconds`` for one key."""

    count: int
    seconds: int


def hit(scope: str, key: str, limit: Limit, *, cache_alias: str = "default") -> bool:
    """Count one hit; return True while the key is within its limit."""
    cache = caches[cache_alias]
    window = int(time.time() // limit.seconds)
    cache_key = f"rl:{scope}:{key}:{window}"
    # add() is atomic on Redis and locmem: it creates the counter only if it is missing.
    if cache.add(cache_key, 1, timeout=limit.seconds + 1):
        return True
    try:
        current = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=limit.seconds + 1)
        return True
    return current <= limit.count


def client_ip(request: HttpRequest) -> str:
    """The client's address: behind IKTIPET_TRUSTED_PROXIES proxies, the one they saw.

    Each trusted proxy appends the address it received the request from, so the entry that
    many places from the right is the client; anything further left is the client's own claim.
    """
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [address for address in forwarded if address]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def user_key(request: HttpRequest) -> str:
    """Per logged-in user (behind one city's NAT many people share an address); per client
    address for anyone else."""
    user = getattr(request, "user", None)
    if getattr(user, "is_authenticated", False):
        return f"user-{user.pk}"
    return client_ip(request)


def ratelimit(
    scope: str,
    limit: Limit,
    key: Callable[[HttpRequest], str] = client_ip,
    methods: tuple[str, ...] = (),
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view: beyond the limit it answers 429 with a translated page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (not methods or request.method in methods) and not hit(scope, key(request), limit):
                response = render(
                    request,
                    "errors/429.html",
                    {"title": _("For mange forespørsler")},
                    status=429,
                )
                response["Retry-After"] = str(limit.seconds)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
