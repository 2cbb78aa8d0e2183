"""Demo data: each app registers a loader; `iktipet demo` runs them in order, idempotently.

All demo data is synthetic test data. Nothing here may resemble a real person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from iktipet.core.hooks import Hooks

Loader = Callable[[], None]


@dataclass(frozen=True)
class DemoLoader:
    order: int
    name: str
    load: Loader


loader_hooks: Hooks[Loader] = Hooks("demo loader")
_login_hints: list[str] = []


def loader(order: int, name: str | None = None) -> Callable[[Loader], Loader]:
    return loader_hooks.decorator(name, order=order)


def login_hint(text: str) -> None:
    """A line `iktipet demo` prints under "Test logins" (e.g. a synthetic person)."""
    if text not in _login_hints:
        _login_hints.append(text)


def loaders() -> list[DemoLoader]:
    return [DemoLoader(hook.order, hook.key, hook.value) for hook in loader_hooks.entries()]


def login_hints() -> list[str]:
    return list(_login_hints)


def discover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo_data")
