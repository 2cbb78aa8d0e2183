"""The one hook pattern: named places where other apps add behaviour without being imported.

A lower app declares a :class:`Hooks` and offers a decorator around :meth:`Hooks.add`; a
higher app registers in its ``AppConfig.ready()`` (or a module ``ready()`` imports)::

    # cases/hooks.py
    opened: Hooks[Callable[[Case], None]] = Hooks("case opened")

    # nabovarsel/hooks.py
    opened.add("nabovarsel.send_notices", send_notices, group="nabovarsel")

Entries are kept per ``group`` (a service id, an audience …) and read in ``(order, key)``
order. Registering a key again replaces its entry, so a module imported twice (tests,
autoreload) never runs a hook twice. Plugins with configuration and ``check_config`` use
:mod:`iktipet.core.registry` instead; hooks are for code the platform itself ships.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["Hook", "Hooks"]

T = TypeVar("T")


@dataclass(frozen=True)
class Hook(Generic[T]):
    key: str
    value: T
    order: int
    group: Hashable


class Hooks(Generic[T]):
    """Entries of one kind, each under a key, in groups, read in order."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[tuple[Hashable, str], Hook[T]] = {}

    def add(self, key: str, value: T, *, group: Hashable = None, order: int = 100) -> T:
        """Register ``value`` as ``key`` in ``group`` (replacing an entry of that key)."""
        if not key:
            raise ValueError(f"A {self.kind} hook needs a key.")
        self._entries[(group, key)] = Hook(key, value, order, group)
        return value

    def decorator(
        self, key: str | None = None, *, group: Hashable = None, order: int = 100
    ) -> Callable[[T], T]:
        """``@hooks.decorator()``: the function's module and name are the key by default."""

        def register(value: T) -> T:
            name = key or f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
            return self.add(name, value, group=group, order=order)

        return register

    def remove(self, key: str, *, group: Hashable = None) -> None:
        self._entries.pop((group, key), None)

    def entries(self, group: Hashable = None) -> list[Hook[T]]:
        found = [hook for (g, _key), hook in self._entries.items() if g == group]
        return sorted(found, key=lambda hook: (hook.order, hook.key))

    def values(self, group: Hashable = None) -> list[T]:
        return [hook.value for hook in self.entries(group)]

    def all(self) -> list[Hook[T]]:
        """Every entry of every group, in order."""
        return sorted(self._entries.values(), key=lambda hook: (hook.order, hook.key))
