"""Which register adapters are configured, and what an operator must fix in each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from iktipet.core.registry import Registry
from iktipet.registers.base import configured_problems


@dataclass(frozen=True)
class RegisterStatus:
    kind: str
    plugin: str
    setting: str
    problems: list[str]


def _registries() -> list[tuple[Registry[Any], str]]:
    from iktipet.registers.addresses import address_registers
    from iktipet.registers.contact import contact_registers
    from iktipet.registers.kindergartens import kindergarten_registers
    from iktipet.registers.organisations import organisation_registers
    from iktipet.registers.population import population_registers
    from iktipet.registers.property import property_registers

    return [
        (population_registers, "POPULATION_REGISTER"),
        (organisation_registers, "ORGANISATION_REGISTER"),
        (property_registers, "PROPERTY_REGISTER"),
        (address_registers, "ADDRESS_REGISTER"),
        (kindergarten_registers, "KINDERGARTEN_REGISTER"),
        (contact_registers, "CONTACT_REGISTER"),
    ]


def register_statuses(conf: Any = settings) -> list[RegisterStatus]:
    """One entry per kind of register, with the configured plugin's problems."""
    statuses = []
    for registry, setting in _registries():
        name = getattr(conf, setting)
        problems = configured_problems(registry, name, conf)
        if name == "local" and not conf.ALLOW_SYNTHETIC_IDS:
            # Synthetic ids are off, so this is meant to be a real deployment.
            problems.append(
                f"IKTIPET_{setting}=local answers from the files in {conf.DEMO_DATA_DIR}, "
                "shipped with synthetic test data: configure the real register."
            )
        statuses.append(RegisterStatus(registry.kind, name, f"IKTIPET_{setting}", problems))
    return statuses
