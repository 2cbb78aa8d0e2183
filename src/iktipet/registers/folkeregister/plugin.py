"""The ``folkeregister`` population-register plugin: FREG person documents → PersonRecord."""

from __future__ import annotations

import datetime
from typing import Any

from iktipet.registers.base import TokenHttpRegister
from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.folkeregister.client import REGISTER, FolkeregisterClient
from iktipet.registers.population import (
    BasePopulationRegister,
    PersonAddress,
    PersonRecord,
    population_registers,
)

_PROTECTED = {"fortrolig", "strengtFortrolig", "strengtFortroligUtland", "klientadresse"}


def _current(items: Any) -> dict[str, Any] | None:
    """The element marked ``erGjeldende`` (else the first) of a FREG history list."""
    if not isinstance(items, list):
        return None
    entries = [item for item in items if isinstance(item, dict)]
    for item in entries:
        if item.get("erGjeldende"):
            return item
    return entries[0] if entries else None


def _address(doc: dict[str, Any]) -> tuple[PersonAddress | None, bool]:
    """Bostedsadresse (vegadresse only) and whether the address is protected."""
    protection = _current(doc.get("adressebeskyttelse")) or {}
    bosted = _current(doc.get("bostedsadresse")) or {}
    protected = (
        protection.get("graderingsnivaa") in _PROTECTED
        or bosted.get("adressegradering") in _PROTECTED
    )
    veg = bosted.get("vegadresse")
    if protected or not isinstance(veg, dict):
        return None, protected
    number = veg.get("adressenummer") or {}
    street = " ".join(
        str(part)
        for part in (veg.get("adressenavn"), number.get("husnummer"), number.get("husbokstav"))
        if part
    )
    poststed = veg.get("poststed") or {}
    # ASSUMED: Oslo's district as a 6-digit bydelsnummer (kommunenummer + 2 digits).
    bydel = str(veg.get("bydelsnummer") or "")[-2:] or None
    return (
        PersonAddress(
            street=street,
            postnummer=str(poststed.get("postnummer") or ""),
            poststed=str(poststed.get("poststedsnavn") or ""),
            kommunenummer=str(veg.get("kommunenummer") or ""),
            bydel=bydel,
        ),
        False,
    )


def person_from_freg(pid: str, doc: dict[str, Any]) -> PersonRecord:
    name = _current(doc.get("navn")) or {}
    birth = _current(doc.get("foedsel")) or _current(doc.get("foedselsdato")) or {}
    try:
        birth_date = datetime.date.fromisoformat(str(birth.get("foedselsdato")))
    except ValueError:
        raise RegisterUnavailable(REGISTER, "person document has no valid foedselsdato") from None
    if not name.get("fornavn") or not name.get("etternavn"):
        raise RegisterUnavailable(REGISTER, "person document has no current name")
    relations = [
        item
        for item in doc.get("familierelasjon") or []
        if isinstance(item, dict) and item.get("erGjeldende", True)
    ]
    address, protected = _address(doc)
    return PersonRecord(
        pid=pid,
        given_name=str(name["fornavn"]),
        middle_name=str(name.get("mellomnavn") or ""),
        family_name=str(name["etternavn"]),
        birth_date=birth_date,
        address=address,
        address_protected=protected,
        children=[
            str(item["relatertPerson"])
            for item in relations
            if item.get("relatertPersonsRolle") == "barn" and item.get("relatertPerson")
        ],
        parents=[
            str(item["relatertPerson"])
            for item in relations
            if item.get("relatertPersonsRolle") in ("mor", "far", "medmor")
            and item.get("relatertPerson")
        ],
    )


@population_registers.register("folkeregister")
class FolkeregisterPopulationRegister(
    TokenHttpRegister[FolkeregisterClient], BasePopulationRegister
):
    """Skatteetaten's Folkeregister over HTTP (needs an agreement and Maskinporten)."""

    label = "Folkeregisteret (Skatteetaten)"
    client_class = FolkeregisterClient
    url_setting, token_file_setting = "FOLKEREGISTER_URL", "FOLKEREGISTER_TOKEN_FILE"

    def get_person(self, pid: str) -> PersonRecord | None:
        if not (len(pid) == 11 and pid.isascii() and pid.isdigit()):
            return None
        doc = self.client.person(pid)
        return person_from_freg(pid, doc) if doc is not None else None
