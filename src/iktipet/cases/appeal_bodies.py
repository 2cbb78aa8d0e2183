"""The appeal body (klageinstans) per municipality and service, from ``appeal_bodies.yaml``.

Configuration, not code: the bodies are renamed and merged (Oslo og Viken became Østfold,
Buskerud, Oslo og Akershus in 2024), and a municipality's services may appeal to different
bodies. An unconfigured municipality gets no name: the case worker writes one.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from pydantic import Field

from iktipet.catalog.schema.common import Model

CONFIG_FILE = Path(__file__).resolve().parent / "appeal_bodies.yaml"


class MunicipalityBodies(Model):
    default: str = Field(min_length=1, max_length=200)
    services: dict[str, str] = Field(default_factory=dict)


@functools.cache
def configured() -> dict[str, MunicipalityBodies]:
    """Every municipality's appeal bodies by kommunenummer (read once per process)."""
    with CONFIG_FILE.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    return {str(number): MunicipalityBodies.model_validate(entry) for number, entry in raw.items()}


def appeal_body_for(kommunenummer: str, service_id: str) -> str:
    """The body that decides appeals of ``service_id`` in the municipality, or ""."""
    bodies = configured().get(kommunenummer)
    if bodies is None:
        return ""
    return bodies.services.get(service_id, bodies.default)
