"""Property register (matrikkelen): properties, their owners and their neighbours.

A property (matrikkelenhet) is named by kommunenummer, gårdsnummer (gnr), bruksnummer
(bnr), festenummer (fnr) and seksjonsnummer (snr), written ``0301-207/45`` or
``0301-207/45/0/2``. Neighbours are the properties whose land adjoins (for a nabovarsel,
plan- og bygningsloven § 21-3, also those across a road: "gjenboere").

``property_register()`` gives the configured adapter (``IKTIPET_PROPERTY_REGISTER``):
``local`` reads the synthetic ``demo/properties.json``; ``matrikkel`` calls an HTTP facade
in front of Kartverket's matrikkel API (see :mod:`iktipet.registers.matrikkel`).
"""

from __future__ import annotations

import re
from abc import abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iktipet.core.registry import Registry
from iktipet.registers.base import PostalAddress, RegisterPlugin
from iktipet.registers.localdata import dataset_problems, load_dataset

PROPERTIES_FILE = "properties.json"
_MATRIKKEL = re.compile(r"^(\d{4})-(\d{1,5})/(\d{1,4})(?:/(\d{1,4}))?(?:/(\d{1,4}))?$")


@dataclass(frozen=True, order=True)
class MatrikkelId:
    kommunenummer: str
    gnr: int
    bnr: int
    fnr: int = 0
    snr: int = 0

    def __str__(self) -> str:
        tail = f"/{self.fnr}/{self.snr}" if self.snr else (f"/{self.fnr}" if self.fnr else "")
        return f"{self.kommunenummer}-{self.gnr}/{self.bnr}{tail}"

    @classmethod
    def parse(cls, text: str) -> MatrikkelId:
        """``"0301-207/45"``, ``"0301-207/45/0/2"``; ValueError for anything else."""
        match = _MATRIKKEL.match(text.strip()) if isinstance(text, str) else None
        if not match:
            raise ValueError(f"Not a matrikkel number: {text!r}")
        knr, gnr, bnr, fnr, snr = match.groups()
        return cls(knr, int(gnr), int(bnr), int(fnr or 0), int(snr or 0))


@dataclass(frozen=True)
class Owner:
    """A hjemmelshaver: a person (``pid``) or an organisation (``orgnr``)."""

    name: str
    pid: str | None = None
    orgnr: str | None = None
    share: str = ""  # e.g. "1/2"

    @property
    def is_organisation(self) -> bool:
        return self.orgnr is not None


PropertyAddress = PostalAddress


@dataclass(frozen=True)
class Property:
    kommunenummer: str
    gnr: int
    bnr: int
    fnr: int = 0
    snr: int = 0
    address: PropertyAddress | None = None
    owners: tuple[Owner, ...] = ()

    @property
    def matrikkel_id(self) -> MatrikkelId:
        return MatrikkelId(self.kommunenummer, self.gnr, self.bnr, self.fnr, self.snr)

    @property
    def label(self) -> str:
        """``"0301-901/12"``: how case workers write it."""
        return str(self.matrikkel_id)


class BasePropertyRegister(RegisterPlugin):
    """Look-ups in the property register. Raises ``RegisterUnavailable`` on failure."""

    @abstractmethod
    def get_property(
        self, kommunenummer: str, gnr: int, bnr: int, fnr: int = 0, snr: int = 0
    ) -> Property | None:
        """The property with its owners, or None."""

    @abstractmethod
    def neighbours(self, property: Property) -> list[Property]:
        """Adjoining properties (with owners), sorted by matrikkel number."""

    @abstractmethod
    def properties_owned_by(
        self, *, pid: str | None = None, orgnr: str | None = None
    ) -> list[Property]:
        """Properties where the person or organisation is an owner."""

    def get(self, matrikkel: MatrikkelId | str) -> Property | None:
        """``get_property`` by a matrikkel number (``"0301-901/12"``); None if malformed."""
        if isinstance(matrikkel, str):
            try:
                matrikkel = MatrikkelId.parse(matrikkel)
            except ValueError:
                return None
        return self.get_property(
            matrikkel.kommunenummer, matrikkel.gnr, matrikkel.bnr, matrikkel.fnr, matrikkel.snr
        )


property_registers: Registry[BasePropertyRegister] = Registry(
    "property register", BasePropertyRegister, setting="PROPERTY_REGISTER"
)


def _property_from_dict(item: dict[str, Any]) -> Property:
    ident = MatrikkelId.parse(item["matrikkel"])
    address = item.get("address")
    return Property(
        kommunenummer=ident.kommunenummer,
        gnr=ident.gnr,
        bnr=ident.bnr,
        fnr=ident.fnr,
        snr=ident.snr,
        address=PropertyAddress(
            street=str(address["street"]),
            postnummer=str(address["postnummer"]),
            poststed=str(address["poststed"]),
        )
        if address
        else None,
        owners=tuple(
            Owner(
                name=str(owner["name"]),
                pid=owner.get("pid") or None,
                orgnr=owner.get("orgnr") or None,
                share=str(owner.get("share") or ""),
            )
            for owner in item.get("owners") or []
        ),
    )


@property_registers.register("local")
class LocalPropertyRegister(BasePropertyRegister):
    """A synthetic matrikkel (``properties.json``; gnr 900+ in Oslo, owners from the demo)."""

    label = "Synthetic properties from the demo dataset"

    def __init__(self, *, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {"data_dir": conf.DEMO_DATA_DIR}

    def _items(self) -> dict[MatrikkelId, dict[str, Any]]:
        items = load_dataset(self.data_dir, PROPERTIES_FILE, "properties")
        return {MatrikkelId.parse(item["matrikkel"]): item for item in items}

    def properties(self) -> list[Property]:
        return [_property_from_dict(item) for item in self._items().values()]

    def get_property(
        self, kommunenummer: str, gnr: int, bnr: int, fnr: int = 0, snr: int = 0
    ) -> Property | None:
        item = self._items().get(MatrikkelId(kommunenummer, gnr, bnr, fnr, snr))
        return _property_from_dict(item) if item else None

    def neighbours(self, property: Property) -> list[Property]:
        items = self._items()
        item = items.get(property.matrikkel_id) or {}
        ids = sorted(MatrikkelId.parse(text) for text in item.get("neighbours") or [])
        return [_property_from_dict(items[ident]) for ident in ids if ident in items]

    def properties_owned_by(
        self, *, pid: str | None = None, orgnr: str | None = None
    ) -> list[Property]:
        if not pid and not orgnr:
            return []
        return [
            prop
            for prop in self.properties()
            if any(
                (pid and owner.pid == pid) or (orgnr and owner.orgnr == orgnr)
                for owner in prop.owners
            )
        ]

    def check_config(self) -> list[str]:
        problems = dataset_problems(self.data_dir, PROPERTIES_FILE, "properties")
        if problems:
            return problems
        try:
            items = self._items()
            self.properties()
        except (KeyError, TypeError, ValueError) as exc:
            return [f"{PROPERTIES_FILE}: malformed property ({exc!r})."]
        for ident, item in items.items():
            for text in item.get("neighbours") or []:
                other = items.get(MatrikkelId.parse(text))
                if other is None or str(ident) not in (other.get("neighbours") or []):
                    problems.append(
                        f"{PROPERTIES_FILE}: {ident} and {text} are not mutual neighbours."
                    )
        return problems


def property_register() -> BasePropertyRegister:
    """The configured property register (``IKTIPET_PROPERTY_REGISTER``, default local)."""
    return property_registers.configured()


# Plugins that live in their own package register themselves on import.
from iktipet.registers.matrikkel import plugin as _matrikkel  # noqa: E402, F401
