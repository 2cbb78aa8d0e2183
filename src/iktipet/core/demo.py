"""Demo data: each app registers a loader; `iktipet demo` runs them in order, idempotently.

All demo data is synthetic test data. Nothing here may resemble a real person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Loader = Callable[[], None]


@dataclass(frozen=True)
class DemoLoader:
    order: int
    name: str
    load: Loader


_loaders: dict[str, DemoLoader] = {}
_login_hints: list[str] = []


def loader(order: int, name: str | None = None) -> Callable[[Loader], Loader]:
    def decorator(func: Loader) -> Loader:
        key = name or f"{func.__module__}.{func.__name__}"
        _loaders[key] = DemoLoader(order, key, func)
        return func

    return decorator


def login_hint(text: str) -> None:
    """A line `iktipet demo` prints under "Test logins" (e.g. a synthetic person)."""
    if text not in _login_hints:
        _login_hints.append(text)


def loaders() -> list[DemoLoader]:
    return sorted(_loaders.values(), key=lambda item: (item.order, item.name))


def login_hints() -> list[str]:
    return list(_login_hints)


def discover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo_data")
