"""Population register (folkeregister): who a person is, where they live, their family.

``population_register()`` gives the configured adapter (``IKTIPET_POPULATION_REGISTER``):
``local`` reads the synthetic ``demo/persons.json``; ``folkeregister`` calls Skatteetaten's
Folkeregister API (see :mod:`iktipet.registers.folkeregister`).
"""

from __future__ import annotations

import datetime
from abc import abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from iktipet.core.registry import Registry
from iktipet.registers.base import RegisterPlugin
from iktipet.registers.localdata import dataset_problems, load_dataset

PERSONS_FILE = "persons.json"


@dataclass(frozen=True)
class PersonAddress:
    """Bostedsadresse. ``bydel`` is Oslo's two-digit district number, when there is one."""

    street: str
    postnummer: str
    poststed: str
    kommunenummer: str
    bydel: str | None = None

    @property
    def one_line(self) -> str:
        return f"{self.street}, {self.postnummer} {self.poststed}"


@dataclass(frozen=True)
class PersonRecord:
    """One person in the population register. ``children``/``parents`` hold fødselsnumre."""

    pid: str
    given_name: str
    family_name: str
    birth_date: datetime.date
    address: PersonAddress | None = None
    children: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    middle_name: str = ""
    #: Fortrolig/strengt fortrolig address: ``address`` is then None and must stay unknown.
    address_protected: bool = False

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.given_name, self.middle_name, self.family_name) if part
        )

    def age_on(self, day: datetime.date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


class BasePopulationRegister(RegisterPlugin):
    """Look-ups by fødselsnummer. Raises ``RegisterUnavailable`` when the register fails."""

    @abstractmethod
    def get_person(self, pid: str) -> PersonRecord | None:
        """The person, or None if the register has no such number."""

    def children_of(self, pid: str) -> list[PersonRecord]:
        """The person's children as full records (children the register cannot find skipped)."""
        person = self.get_person(pid)
        if person is None:
            return []
        children = (self.get_person(child) for child in person.children)
        return [child for child in children if child is not None]


population_registers: Registry[BasePopulationRegister] = Registry(
    "population register", BasePopulationRegister, setting="POPULATION_REGISTER"
)


def person_from_dict(item: dict[str, Any]) -> PersonRecord:
    """A record from the dataset format of ``demo/persons.json``."""
    address = item.get("address")
    return PersonRecord(
        pid=str(item["pid"]),
        given_name=str(item["given_name"]),
        middle_name=str(item.get("middle_name") or ""),
        family_name=str(item["family_name"]),
        birth_date=datetime.date.fromisoformat(item["birth_date"]),
        address=PersonAddress(
            street=str(address["street"]),
            postnummer=str(address["postnummer"]),
            poststed=str(address["poststed"]),
            kommunenummer=str(address["kommunenummer"]),
            bydel=address.get("bydel") or None,
        )
        if address
        else None,
        children=[str(pid) for pid in item.get("children") or []],
        parents=[str(pid) for pid in item.get("parents") or []],
    )


@population_registers.register("local")
class LocalPopulationRegister(BasePopulationRegister):
    """The synthetic population in ``persons.json`` (Tenor-style test numbers)."""

    label = "Synthetic persons from the demo dataset"

    def __init__(self, *, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {"data_dir": conf.DEMO_DATA_DIR}

    def persons(self) -> list[PersonRecord]:
        return [
            person_from_dict(item) for item in load_dataset(self.data_dir, PERSONS_FILE, "persons")
        ]

    def get_person(self, pid: str) -> PersonRecord | None:
        for item in load_dataset(self.data_dir, PERSONS_FILE, "persons"):
            if item.get("pid") == pid:
                return person_from_dict(item)
        return None

    def check_config(self) -> list[str]:
        problems = dataset_problems(self.data_dir, PERSONS_FILE, "persons")
        if not problems:
            try:
                self.persons()
            except (KeyError, TypeError, ValueError) as exc:
                problems.append(f"{self.data_dir / PERSONS_FILE}: malformed person ({exc!r}).")
        return problems


def population_register() -> BasePopulationRegister:
    """The configured population register (``IKTIPET_POPULATION_REGISTER``, default local)."""
    return population_registers.configured()


def synthetic_persons() -> list[PersonRecord]:
    """Every person in the synthetic dataset, whatever register is configured (TestID)."""
    return LocalPopulationRegister(data_dir=settings.DEMO_DATA_DIR).persons()


# Plugins that live in their own package register themselves on import.
from iktipet.registers.folkeregister import plugin as _folkeregister  # noqa: E402, F401
