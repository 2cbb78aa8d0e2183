"""Which register adapters are configured, and what an operator must fix in each."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.conf import settings

from iktipet.core.registry import PluginStatus, plugin_statuses, registries
from iktipet.registers.base import RegisterPlugin


def register_statuses(conf: Any = settings) -> list[PluginStatus]:
    """One entry per kind of register, with the configured plugin's problems.

    The same check as every other plugin's (:func:`iktipet.core.registry.plugin_statuses`),
    plus one that only the registers have: the synthetic ``local`` data in a deployment
    that does not allow synthetic ids.
    """
    statuses = []
    kinds = [registry for registry in registries() if issubclass(registry.base, RegisterPlugin)]
    for status in plugin_statuses(conf, among=kinds):
        if status.plugin == "local" and not conf.ALLOW_SYNTHETIC_IDS:
            # Synthetic ids are off, so this is meant to be a real deployment.
            status = replace(
                status,
                problems=[
                    *status.problems,
                    f"{status.setting}=local answers from the files in {conf.DEMO_DATA_DIR}, "
                    "shipped with synthetic test data: configure the real register.",
                ],
            )
        statuses.append(status)
    return statuses
