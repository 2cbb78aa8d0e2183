"""What the register plugins share on top of the core plugin pattern."""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import LazySettings, settings

from iktipet.core.registry import Plugin, Registry


class RegisterPlugin(Plugin):
    """A register adapter. Options come in through ``__init__``; nothing reads settings later."""

    @classmethod
    def options_from_settings(cls, conf: LazySettings | Any) -> dict[str, Any]:
        """The ``create`` options this plugin takes from Django settings (IKTIPET_* env)."""
        return {}


R = TypeVar("R", bound=RegisterPlugin)


def configured(registry: Registry[R], name: str, conf: LazySettings | Any = settings) -> R:
    """The plugin ``name`` built from ``conf``: the one place settings meet plugins."""
    cls = registry.get_class(name)
    return registry.create(name, **cls.options_from_settings(conf))


def configured_problems(
    registry: Registry[R], name: str, conf: LazySettings | Any = settings
) -> list[str]:
    """``check_config`` of the configured plugin; unknown names and bad options included."""
    if name not in registry:
        return [f"Unknown {registry.kind} {name!r} (choose one of: {', '.join(registry.names())})."]
    cls = registry.get_class(name)
    return registry.check_config(name, **cls.options_from_settings(conf))
