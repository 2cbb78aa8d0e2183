"""Per-client rate limit, fixed window, counted in the shared cache, with the standard
``RateLimit-Limit`` / ``RateLimit-Remaining`` / ``RateLimit-Reset`` headers (IETF
draft-ietf-httpapi-ratelimit-headers) and ``Retry-After`` on 429.

``core.ratelimit.hit`` answers only yes or no; the headers need the count, so the same
add-then-incr counting is done here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Quota:
    limit: int
    remaining: int
    reset: int  # seconds until the window ends

    @property
    def exceeded(self) -> bool:
        return self.remaining < 0

    def headers(self) -> dict[str, str]:
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(max(self.remaining, 0)),
            "RateLimit-Reset": str(self.reset),
        }


def spend(client_key: str) -> Quota:
    """Count one call of the client in this minute."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    key = f"rl:api:{client_key}:{window}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=WINDOW_SECONDS + 1)
            count = 1
    reset = max(1, int((window + 1) * WINDOW_SECONDS - now))
    return Quota(limit=limit, remaining=limit - count, reset=reset)
