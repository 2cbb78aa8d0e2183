"""Step plugins: steps that are not plain forms (``kind: booking``) are rendered by a plugin
another app registers. The catalogue uses the registry to say honestly when a service
cannot be used yet because a plugin is missing.

The booking app registers itself like this::

    from iktipet.catalog.plugins import BaseStepPlugin, register

    @register("booking")
    class BookingStepPlugin(BaseStepPlugin):
        def check_step(self, step):  # e.g. the resource exists
            return [] if Resource.objects.filter(slug=step.booking.resource).exists() \
                else [f"unknown booking resource '{step.booking.resource}'"]

How the plugin renders the step and stores its answer is the form engine's contract
with it (``kind`` is the key); the catalogue needs only the two methods below.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iktipet.core.registry import Plugin, Registry


class BaseStepPlugin(Plugin):
    """A step kind other than ``form``. Built without options (``step_plugins.create``)."""

    def check_step(self, step: Any) -> list[str]:
        """Problems with this step's configuration (shown by `iktipet services check`)."""
        return []


step_plugins: Registry[BaseStepPlugin] = Registry("step plugin", BaseStepPlugin)


def register(kind: str) -> Callable[[type[BaseStepPlugin]], type[BaseStepPlugin]]:
    return step_plugins.register(kind)


def unregister(kind: str) -> None:
    step_plugins.unregister(kind)


def plugin_for(kind: str) -> BaseStepPlugin | None:
    return step_plugins.create(kind) if kind in step_plugins else None


def is_available(kind: str) -> bool:
    """Plain form steps are always available; other kinds need their plugin."""
    return kind == "form" or kind in step_plugins


def check_step(step: Any) -> list[str]:
    plugin = plugin_for(step.kind)
    return plugin.check_step(step) if plugin else []
