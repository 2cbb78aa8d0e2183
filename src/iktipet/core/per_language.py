"""What a page writes the same for everyone in a language, made once per process.

A ``gettext`` call costs ~20 µs here and a ``reverse()`` ~0.1 ms; the pages written in
Python (issue 13) have tens of each per view. Their fixed texts and addresses are made by a
function decorated with :func:`per_language`, called once per process per language and script
prefix (the prefix: an address depends on where the site is mounted), and forgotten when a
setting changes (tests), as a restart would forget them.

Each text stays a plain ``gettext`` call inside that function, where makemessages finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils.translation import get_language

T = TypeVar("T")

#: What each decorated function made, per (language, script prefix).
_made: list[dict[tuple[str | None, str], Any]] = []


def per_language(build: Callable[[], T]) -> Callable[[], T]:
    """``build()`` called once per process per (language, script prefix)."""
    made: dict[tuple[str | None, str], T] = {}
    _made.append(made)

    def once() -> T:
        key = (get_language(), get_script_prefix())
        found = made.get(key)
        if found is None:
            found = made[key] = build()
        return found

    once.__doc__ = build.__doc__
    once.__name__ = build.__name__
    once.__qualname__ = build.__qualname__
    return once


@receiver(setting_changed)
def _forget(**_: Any) -> None:
    for made in _made:
        made.clear()
