"""Register look-ups whose answers need shaping for the form engine (property, lists).

Kept apart so the engine depends on one small surface of ``iktipet.registers``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from iktipet.applications.fields import Option
from iktipet.registers.errors import RegisterError
from iktipet.registers.localdata import DatasetError

logger = logging.getLogger(__name__)


def _matrikkel(item: Any) -> dict[str, Any]:
    return {
        "kommunenummer": item.kommunenummer,
        "gnr": item.gnr,
        "bnr": item.bnr,
        "fnr": item.fnr,
        "snr": item.snr,
    }


def property_record(answer: Mapping[str, Any]) -> dict[str, Any] | None:
    """The property a property answer names, with one neighbour row per owner of each
    adjoining property (every co-owner is notified: pbl. § 21-3)."""
    from iktipet.registers.property import property_register

    register = property_register()
    try:
        found = register.get_property(
            str(answer.get("kommunenummer", "")),
            int(answer.get("gnr") or 0),
            int(answer.get("bnr") or 0),
            int(answer.get("fnr") or 0),
            int(answer.get("snr") or 0),
        )
    except (TypeError, ValueError):
        return None
    if found is None:
        return None
    neighbours = []
    for neighbour in register.neighbours(found):
        for owner in neighbour.owners or ():
            neighbours.append(
                {
                    "name": owner.name,
                    "address": neighbour.address,
                    "property": _matrikkel(neighbour),
                    "relation": "owner",
                }
            )
    return {
        "address": found.address,
        "owners": list(found.owners),
        "neighbours": neighbours,
        "matrikkel": _matrikkel(found),
    }


def contact_record(pid: str | None) -> Any:
    from iktipet.registers.contact import contact_register

    return contact_register().get_contact(pid) if pid else None


def register_options(name: str) -> list[Option]:
    """Every choice a register offers for a ranked choice (the municipality's kindergartens)."""
    if name != "kindergartens":
        return []
    from iktipet.core.selectors import current_municipality
    from iktipet.registers.kindergartens import kindergarten_register

    kommune = current_municipality().kommunenummer or "0301"
    try:
        items = kindergarten_register().list_kindergartens(kommune)
    except (RegisterError, DatasetError) as exc:
        logger.warning("register look-up failed: %s", exc)
        return []
    return [
        Option(str(item.id), f"{item.name} ({item.bydel_name})" if item.bydel_name else item.name)
        for item in items
    ]


def address_search() -> Callable[[str], list[Any]]:
    """``search(text)``: addresses from the address register, best first (empty on failure)."""

    def search(text: str) -> list[Any]:
        from iktipet.registers.addresses import address_register

        try:
            return list(address_register().search(text, limit=10))
        except (RegisterError, DatasetError) as exc:
            logger.warning("address search failed: %s", exc)
            return []

    return search
