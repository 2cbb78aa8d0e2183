"""Kindergarten register (barnehager) for applications for a place (barnehageopptak).

Only a ``local`` plugin (synthetic ``demo/kindergartens.json``) exists. The national source
would be Udir's Nasjonalt barnehageregister (NBR); a plugin for it can be added with the
same interface once its contract is pinned down.
"""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iktipet.core.registry import Registry
from iktipet.registers.base import PostalAddress, RegisterPlugin
from iktipet.registers.localdata import dataset_problems, load_dataset

KINDERGARTENS_FILE = "kindergartens.json"
MUNICIPAL, PRIVATE = "kommunal", "privat"
#: Småbarn (0–2 years) and storbarn (3–5 years), as kindergartens plan their places.
AGE_GROUPS = {"0-2": (0, 2), "3-5": (3, 5)}


KindergartenAddress = PostalAddress


@dataclass(frozen=True)
class Kindergarten:
    id: str
    name: str
    kommunenummer: str
    bydel: str  # two-digit district number in Oslo ("04"); "" elsewhere
    bydel_name: str
    address: KindergartenAddress
    owner: str  # MUNICIPAL or PRIVATE
    age_groups: tuple[str, ...]  # keys of AGE_GROUPS

    @property
    def is_municipal(self) -> bool:
        return self.owner == MUNICIPAL

    def accepts_age(self, years: int) -> bool:
        return any(
            low <= years <= high for low, high in map(AGE_GROUPS.__getitem__, self.age_groups)
        )


class BaseKindergartenRegister(RegisterPlugin):
    @abstractmethod
    def list_kindergartens(self, kommunenummer: str) -> list[Kindergarten]:
        """The municipality's kindergartens, by bydel then name."""

    @abstractmethod
    def get(self, id: str) -> Kindergarten | None:
        """One kindergarten, or None."""


kindergarten_registers: Registry[BaseKindergartenRegister] = Registry(
    "kindergarten register", BaseKindergartenRegister, setting="KINDERGARTEN_REGISTER"
)


def kindergarten_from_dict(item: dict[str, Any]) -> Kindergarten:
    owner = item["owner"]
    groups = tuple(item["age_groups"])
    if owner not in (MUNICIPAL, PRIVATE) or not groups or not set(groups) <= AGE_GROUPS.keys():
        raise ValueError(f"kindergarten {item.get('id')!r}: bad owner or age groups")
    address = item["address"]
    return Kindergarten(
        id=str(item["id"]),
        name=str(item["name"]),
        kommunenummer=str(item["kommunenummer"]),
        bydel=str(item.get("bydel") or ""),
        bydel_name=str(item.get("bydel_name") or ""),
        address=KindergartenAddress(
            street=str(address["street"]),
            postnummer=str(address["postnummer"]),
            poststed=str(address["poststed"]),
        ),
        owner=owner,
        age_groups=groups,
    )


@kindergarten_registers.register("local")
class LocalKindergartenRegister(BaseKindergartenRegister):
    """Synthetic kindergartens in Oslo, names clearly invented."""

    label = "Synthetic kindergartens from the demo dataset"

    def __init__(self, *, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {"data_dir": conf.DEMO_DATA_DIR}

    def _all(self) -> list[Kindergarten]:
        items = load_dataset(self.data_dir, KINDERGARTENS_FILE, "kindergartens")
        return [kindergarten_from_dict(item) for item in items]

    def list_kindergartens(self, kommunenummer: str) -> list[Kindergarten]:
        found = [kg for kg in self._all() if kg.kommunenummer == kommunenummer]
        return sorted(found, key=lambda kg: (kg.bydel, kg.name.casefold()))

    def get(self, id: str) -> Kindergarten | None:
        return next((kg for kg in self._all() if kg.id == id), None)

    def check_config(self) -> list[str]:
        problems = dataset_problems(self.data_dir, KINDERGARTENS_FILE, "kindergartens")
        if problems:
            return problems
        try:
            kindergartens = self._all()
        except (KeyError, TypeError, ValueError) as exc:
            return [f"{KINDERGARTENS_FILE}: malformed kindergarten ({exc})."]
        ids = [kg.id for kg in kindergartens]
        if len(ids) != len(set(ids)):
            problems.append(f"{KINDERGARTENS_FILE}: ids are not unique.")
        return problems


def kindergarten_register() -> BaseKindergartenRegister:
    """The configured kindergarten register (``IKTIPET_KINDERGARTEN_REGISTER``, default local)."""
    return kindergarten_registers.configured()
