"""Address search (the matrikkel's official addresses), for forms that ask for an address.

``address_register()`` gives the configured adapter (``IKTIPET_ADDRESS_REGISTER``):
``local`` searches the synthetic ``demo/addresses.json``; ``geonorge`` calls Kartverket's
open address API (see :mod:`iktipet.registers.geonorge`).
"""

from __future__ import annotations

import re
from abc import abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iktipet.core.registry import Registry
from iktipet.registers.base import RegisterPlugin
from iktipet.registers.localdata import dataset_problems, load_dataset

ADDRESSES_FILE = "addresses.json"
MAX_LIMIT = 100


@dataclass(frozen=True)
class Address:
    text: str  # adressetekst: "Testveien 12"
    street: str  # adressenavn
    number: int | None
    letter: str
    postnummer: str
    poststed: str
    kommunenummer: str
    kommunenavn: str = ""
    gnr: int | None = None
    bnr: int | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def one_line(self) -> str:
        return f"{self.text}, {self.postnummer} {self.poststed}"


class BaseAddressRegister(RegisterPlugin):
    @abstractmethod
    def search(
        self, query: str, kommunenummer: str | None = None, limit: int = 10
    ) -> list[Address]:
        """Addresses matching ``query`` (street, number, postnummer or poststed), best first."""


address_registers: Registry[BaseAddressRegister] = Registry(
    "address register", BaseAddressRegister, setting="ADDRESS_REGISTER"
)


def clamp_limit(limit: int) -> int:
    return max(0, min(int(limit), MAX_LIMIT))


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def address_from_dict(item: dict[str, Any]) -> Address:
    """From Geonorge's ``adresser[]`` element; the local dataset uses the same names."""
    point = (
        item.get("representasjonspunkt")
        if isinstance(item.get("representasjonspunkt"), dict)
        else {}
    )
    text = item.get("adressetekst")
    if not isinstance(text, str) or not text:
        raise ValueError("address without adressetekst")
    return Address(
        text=text,
        street=str(item.get("adressenavn") or ""),
        number=_int(item.get("nummer")),
        letter=str(item.get("bokstav") or ""),
        postnummer=str(item.get("postnummer") or ""),
        poststed=str(item.get("poststed") or ""),
        kommunenummer=str(item.get("kommunenummer") or ""),
        kommunenavn=str(item.get("kommunenavn") or ""),
        gnr=_int(item.get("gardsnummer")),
        bnr=_int(item.get("bruksnummer")),
        lat=_float(point.get("lat")),
        lon=_float(point.get("lon")),
    )


_TOKENS = re.compile(r"[\w]+", re.UNICODE)


def _tokens(text: str) -> list[str]:
    return [token.casefold() for token in _TOKENS.findall(text)]


@address_registers.register("local")
class LocalAddressRegister(BaseAddressRegister):
    """Synthetic addresses: every query word must start a word of the address."""

    label = "Synthetic addresses from the demo dataset"

    def __init__(self, *, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {"data_dir": conf.DEMO_DATA_DIR}

    def addresses(self) -> list[Address]:
        return [
            address_from_dict(item)
            for item in load_dataset(self.data_dir, ADDRESSES_FILE, "adresser")
        ]

    def search(
        self, query: str, kommunenummer: str | None = None, limit: int = 10
    ) -> list[Address]:
        wanted = _tokens(query or "")
        if not wanted:
            return []
        found = []
        for address in self.addresses():
            if kommunenummer and address.kommunenummer != kommunenummer:
                continue
            words = _tokens(f"{address.text} {address.postnummer} {address.poststed}")
            if all(any(word.startswith(token) for word in words) for token in wanted):
                found.append(address)
        found.sort(key=lambda a: (a.street.casefold(), a.number or 0, a.letter, a.postnummer))
        return found[: clamp_limit(limit)]

    def check_config(self) -> list[str]:
        problems = dataset_problems(self.data_dir, ADDRESSES_FILE, "adresser")
        if not problems:
            try:
                self.addresses()
            except (TypeError, ValueError) as exc:
                problems.append(f"{ADDRESSES_FILE}: malformed address ({exc}).")
        return problems


def address_register() -> BaseAddressRegister:
    """The configured address register (``IKTIPET_ADDRESS_REGISTER``, default local)."""
    return address_registers.configured()


# Plugins that live in their own package register themselves on import.
from iktipet.registers.geonorge import plugin as _geonorge  # noqa: E402, F401
