"""The ``geonorge`` address-register plugin."""

from __future__ import annotations

from typing import Any

from iktipet.registers.addresses import (
    Address,
    BaseAddressRegister,
    address_from_dict,
    address_registers,
    clamp_limit,
)
from iktipet.registers.geonorge.client import DEFAULT_BASE_URL, GeonorgeAddressClient


@address_registers.register("geonorge")
class GeonorgeAddressRegister(BaseAddressRegister):
    label = "Adresser (Kartverket, Geonorge)"

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 5.0,
        client: GeonorgeAddressClient | None = None,
    ) -> None:
        self.base_url = base_url
        self._timeout = timeout
        self._client = client

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {"base_url": conf.GEONORGE_ADDRESS_URL, "timeout": conf.REGISTER_TIMEOUT}

    @property
    def client(self) -> GeonorgeAddressClient:
        if self._client is None:
            self._client = GeonorgeAddressClient(self.base_url, timeout=self._timeout)
        return self._client

    def search(
        self, query: str, kommunenummer: str | None = None, limit: int = 10
    ) -> list[Address]:
        """Prefix search: a ``*`` is added so "Testv 1" finds "Testveien 12" while typing."""
        text, limit = " ".join((query or "").split()), clamp_limit(limit)
        if not text or limit == 0:
            return []
        found = self.client.sok(
            text if text.endswith("*") else f"{text}*",
            kommunenummer=kommunenummer,
            treff_per_side=limit,
        )
        addresses = []
        for item in found:
            try:
                addresses.append(address_from_dict(item))
            except ValueError:
                continue  # an entry without adressetekst is useless to a form
        return addresses[:limit]

    def check_config(self) -> list[str]:
        return [] if self.base_url else ["IKTIPET_GEONORGE_ADDRESS_URL is empty."]
