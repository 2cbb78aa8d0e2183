"""Organisation register (Enhetsregisteret): units, their roles, whom a person may act for.

``organisation_register()`` gives the configured adapter (``IKTIPET_ORGANISATION_REGISTER``):
``local`` reads the synthetic ``demo/organisations.json``; ``brreg`` calls the open
Enhetsregisteret API (see :mod:`iktipet.registers.brreg`).

Role codes are Enhetsregisteret's: DAGL daglig leder, LEDE styrets leder, NEST nestleder,
MEDL styremedlem, INNH innehaver (enkeltpersonforetak), KONT kontaktperson, DTPR/DTSO
deltaker. ``STYR`` is the role *group* "styre"; a role matches a code if its own code or
its group code equals it.
"""

from __future__ import annotations

import datetime
import re
from abc import abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iktipet.core.identifiers import InvalidIdentifier, validate_orgnr
from iktipet.core.registry import Registry
from iktipet.registers.base import RegisterPlugin
from iktipet.registers.localdata import dataset_problems, load_dataset

ORGANISATIONS_FILE = "organisations.json"

#: The roles that may act for a unit without a delegation in Altinn (INTEGRATIONS.md §2).
PARTY_ROLE_CODES: tuple[str, ...] = ("DAGL", "LEDE", "INNH")


@dataclass(frozen=True)
class UnitAddress:
    lines: list[str]
    postnummer: str
    poststed: str
    kommunenummer: str = ""
    country_code: str = "NO"

    @property
    def one_line(self) -> str:
        place = f"{self.postnummer} {self.poststed}".strip()
        return ", ".join([*self.lines, place] if place else self.lines)


@dataclass(frozen=True)
class Unit:
    """An enhet in Enhetsregisteret."""

    orgnr: str
    name: str
    form_code: str
    form_description: str
    business_address: UnitAddress | None = None
    postal_address: UnitAddress | None = None
    industry_code: str = ""
    industry_description: str = ""
    deleted: bool = False
    deleted_date: datetime.date | None = None
    bankrupt: bool = False
    under_liquidation: bool = False

    @property
    def active(self) -> bool:
        return not (self.deleted or self.bankrupt or self.under_liquidation)

    @property
    def address(self) -> UnitAddress | None:
        """Where to write to: the postal address, else the business address."""
        return self.postal_address or self.business_address


@dataclass(frozen=True)
class Role:
    """A current role in a unit. ``pid`` is None when the source has no fødselsnummer
    (the open API); ``holder_orgnr`` is set when the role holder is another unit."""

    code: str
    description: str
    name: str
    birth_date: datetime.date | None = None
    pid: str | None = None
    group_code: str = ""
    holder_orgnr: str | None = None

    def matches(self, codes: Iterable[str]) -> bool:
        wanted = set(codes)
        return self.code in wanted or self.group_code in wanted


_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Names compared case- and whitespace-insensitively (registers differ in both)."""
    return _SPACES.sub(" ", name).strip().casefold()


def clean_orgnr(orgnr: str) -> str | None:
    """The orgnr as 9 digits if it is valid, else None (no register call for garbage)."""
    try:
        return validate_orgnr(orgnr)
    except InvalidIdentifier:
        return None


class BaseOrganisationRegister(RegisterPlugin):
    """Look-ups in the organisation register. Raises ``RegisterUnavailable`` on failure."""

    @abstractmethod
    def get_unit(self, orgnr: str) -> Unit | None:
        """The unit (also when deleted: see ``Unit.deleted``), or None if unknown."""

    @abstractmethod
    def roles(self, orgnr: str) -> list[Role]:
        """The unit's current roles (resigned and deregistered ones left out)."""

    @abstractmethod
    def parties_for_person(
        self,
        pid: str,
        birth_date: datetime.date | None,
        name: str,
        role_codes: Iterable[str] = PARTY_ROLE_CODES,
    ) -> list[Unit]:
        """Units (not deleted) where this person holds one of ``role_codes``."""

    @abstractmethod
    def search(self, name: str, *, kommunenummer: str | None = None, limit: int = 20) -> list[Unit]:
        """Units (not deleted) whose name contains ``name``."""


organisation_registers: Registry[BaseOrganisationRegister] = Registry(
    "organisation register", BaseOrganisationRegister, setting="ORGANISATION_REGISTER"
)


def _address_from_dict(item: dict[str, Any] | None) -> UnitAddress | None:
    if not item:
        return None
    return UnitAddress(
        lines=[str(line) for line in item.get("lines") or [] if line],
        postnummer=str(item.get("postnummer") or ""),
        poststed=str(item.get("poststed") or ""),
        kommunenummer=str(item.get("kommunenummer") or ""),
        country_code=str(item.get("country_code") or "NO"),
    )


def iso_date(value: Any) -> datetime.date | None:
    """A register's ``YYYY-MM-DD``; None when missing or not a date."""
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def unit_from_dict(item: dict[str, Any]) -> Unit:
    """A unit from the dataset format of ``demo/organisations.json``."""
    form = item.get("form") or {}
    industry = item.get("industry") or {}
    return Unit(
        orgnr=str(item["orgnr"]),
        name=str(item["name"]),
        form_code=str(form.get("code") or ""),
        form_description=str(form.get("description") or ""),
        business_address=_address_from_dict(item.get("business_address")),
        postal_address=_address_from_dict(item.get("postal_address")),
        industry_code=str(industry.get("code") or ""),
        industry_description=str(industry.get("description") or ""),
        deleted=bool(item.get("deleted")),
        deleted_date=iso_date(item.get("deleted_date")),
        bankrupt=bool(item.get("bankrupt")),
        under_liquidation=bool(item.get("under_liquidation")),
    )


def role_from_dict(item: dict[str, Any]) -> Role:
    return Role(
        code=str(item["code"]),
        description=str(item.get("description") or ""),
        name=str(item["name"]),
        birth_date=iso_date(item.get("birth_date")),
        pid=item.get("pid") or None,
        group_code=str(item.get("group") or ""),
        holder_orgnr=item.get("holder_orgnr") or None,
    )


@organisation_registers.register("local")
class LocalOrganisationRegister(BaseOrganisationRegister):
    """The synthetic units in ``organisations.json`` (orgnrs starting with 3: never real)."""

    label = "Synthetic organisations from the demo dataset"

    def __init__(self, *, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {"data_dir": conf.DEMO_DATA_DIR}

    def _items(self) -> list[dict[str, Any]]:
        return load_dataset(self.data_dir, ORGANISATIONS_FILE, "organisations")

    def _item(self, orgnr: str) -> dict[str, Any] | None:
        number = clean_orgnr(orgnr)
        return next((item for item in self._items() if item.get("orgnr") == number), None)

    def units(self) -> list[Unit]:
        return [unit_from_dict(item) for item in self._items()]

    def get_unit(self, orgnr: str) -> Unit | None:
        item = self._item(orgnr)
        return unit_from_dict(item) if item else None

    def roles(self, orgnr: str) -> list[Role]:
        item = self._item(orgnr)
        return [role_from_dict(role) for role in (item or {}).get("roles") or []]

    def parties_for_person(
        self,
        pid: str,
        birth_date: datetime.date | None,
        name: str,
        role_codes: Iterable[str] = PARTY_ROLE_CODES,
    ) -> list[Unit]:
        codes = list(role_codes)
        parties = []
        for item in self._items():
            unit = unit_from_dict(item)
            if unit.deleted:
                continue
            roles = [role_from_dict(role) for role in item.get("roles") or []]
            if any(role.pid == pid and role.matches(codes) for role in roles):
                parties.append(unit)
        return parties

    def search(self, name: str, *, kommunenummer: str | None = None, limit: int = 20) -> list[Unit]:
        wanted = normalise_name(name)
        found = [
            unit
            for unit in self.units()
            if not unit.deleted
            and wanted in normalise_name(unit.name)
            and (
                kommunenummer is None
                or (unit.business_address and unit.business_address.kommunenummer == kommunenummer)
            )
        ]
        return found[: max(0, limit)]

    def check_config(self) -> list[str]:
        problems = dataset_problems(self.data_dir, ORGANISATIONS_FILE, "organisations")
        if problems:
            return problems
        for item in self._items():
            try:
                unit = unit_from_dict(item)
                [role_from_dict(role) for role in item.get("roles") or []]
            except (KeyError, TypeError, ValueError) as exc:
                problems.append(f"{ORGANISATIONS_FILE}: malformed unit ({exc!r}).")
                continue
            if clean_orgnr(unit.orgnr) is None:
                problems.append(f"{ORGANISATIONS_FILE}: {unit.orgnr!r} is not a valid orgnr.")
        return problems


def organisation_register() -> BaseOrganisationRegister:
    """The configured organisation register (``IKTIPET_ORGANISATION_REGISTER``, default local)."""
    return organisation_registers.configured()


# Plugins that live in their own package register themselves on import.
from iktipet.registers.brreg import plugin as _brreg  # noqa: E402, F401
