"""Reads of the municipality and its agencies (public data: no actor check needed).

Every page shows the municipality (its name in the title, header and footer) and the front
page lists the agencies, so both are kept **in each process**, not unpickled from the cache
on every request (~0.06 ms for the municipality and ~0.15 ms for the agencies, measured on
the front page). What tells a process that its copy is out of date:

- a *token* in the shared cache, a short string replaced by :func:`forget_municipality` (a
  saved or deleted municipality or agency, see ``core.signals``) now and again when the
  transaction commits. A process whose copy was read under another token reads the rows
  again. The process that made the edit forgets its copy at once; the others ask the cache
  for the token at most once per :data:`CHECK_INTERVAL`, so with Redis an admin's edit
  reaches every process within a second, as a cleared or evicted cache does. Asking on
  every request cost each page a cache read (~15 µs with the per-process cache, measured on
  a page's frame; a round trip with Redis) for a name that changes once in years;
- an age: a copy is read again after :data:`MAX_AGE` seconds whatever the token says. With
  the per-process cache (no Redis) the token cannot reach the other processes, so this
  bounds how long they show the old name, as the cache's 60 s expiry did before.

The instances are shared by every request of the process: treat them as read-only.
"""

from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import DatabaseError, transaction

from iktipet.core.models import Agency, Municipality

_VERSION_KEY = "core:municipality:version:v1"
#: Seconds a process keeps its copy at most (the other processes' edits, without Redis).
MAX_AGE = 60.0
#: Seconds a process trusts its copy before it reads the token in the shared cache again.
CHECK_INTERVAL = 1.0
_serials = itertools.count(1)


class _Fallback:
    """Shown when no municipality is configured yet (a fresh install before `demo`/`load`)."""

    name = "Iktipet"
    kommunenummer = ""
    theme = "digdir"
    website = ""


@dataclass
class _Copy:
    """This process's copy, read under ``token``; the rows are read on first use."""

    token: str
    read_at: float
    serial: int
    checked_at: float = float("-inf")  # the token last read from the shared cache
    municipality: Municipality | _Fallback | None = None
    agencies: list[Agency] | None = None


_copy = _Copy(token="", read_at=float("-inf"), serial=0)


def _current() -> _Copy:
    global _copy
    now = time.monotonic()
    copy = _copy
    if now - copy.read_at < MAX_AGE and now - copy.checked_at < CHECK_INTERVAL:
        return copy
    token = cache.get(_VERSION_KEY)
    if token is not None and token == copy.token and now - copy.read_at < MAX_AGE:
        copy.checked_at = now
        return copy
    if token is None:
        cache.add(_VERSION_KEY, uuid.uuid4().hex, None)
        token = cache.get(_VERSION_KEY) or ""
    copy = _copy = _Copy(token=token, read_at=now, serial=next(_serials), checked_at=now)
    return copy


def current_municipality() -> Municipality | _Fallback:
    copy = _current()
    if copy.municipality is not None:
        return copy.municipality
    try:
        municipality = Municipality.objects.order_by("pk").first()
    except DatabaseError:
        return _Fallback()
    copy.municipality = municipality or _Fallback()
    return copy.municipality


def agencies() -> list[Agency]:
    """Every agency (the front page lists them on every request)."""
    copy = _current()
    if copy.agencies is None:
        copy.agencies = list(Agency.objects.select_related("municipality").order_by("name_nb"))
    return list(copy.agencies)


def directory_version() -> str:
    """Changes whenever this process reads the municipality and agencies again: a key for
    what is rendered from them once per process (the front page's ``{% samefor %}``)."""
    copy = _current()
    return f"{copy.token}:{copy.serial}"


def _new_token() -> None:
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)
    forget_this_process_copy()


def forget_this_process_copy() -> None:
    """This process reads the token, and then the rows if it changed, on its next use (the
    tests, after clearing the cache, so that no test sees another's rows)."""
    global _copy
    _copy = _Copy(token="", read_at=float("-inf"), serial=0)


def forget_municipality() -> None:
    """Every process reads the municipality and agencies again: now, and once more when the
    transaction that changed them commits (a process reading in between would still get
    the old rows)."""
    _new_token()
    transaction.on_commit(_new_token)
