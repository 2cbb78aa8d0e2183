"""The ``folkeregister`` population-register plugin: FREG person documents → PersonRecord."""

from __future__ import annotations

import datetime
from typing import Any

from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.folkeregister.client import REGISTER, FolkeregisterClient
from iktipet.registers.http import read_token_file, token_file_problems
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
class FolkeregisterPopulationRegister(BasePopulationRegister):
    """Skatteetaten's Folkeregister over HTTP (needs an agreement and Maskinporten)."""

    label = "Folkeregisteret (Skatteetaten)"

    def __init__(
        self,
        *,
        base_url: str,
        token_file: str = "",
        token: str = "",
        timeout: float = 5.0,
        client: FolkeregisterClient | None = None,
    ) -> None:
        self.base_url = base_url
        self.token_file = token_file
        self._token = token
        self._client = client
        self._timeout = timeout

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {
            "base_url": conf.FOLKEREGISTER_URL,
            "token_file": conf.FOLKEREGISTER_TOKEN_FILE,
            "timeout": conf.REGISTER_TIMEOUT,
        }

    def _bearer(self) -> str:
        return self._token or read_token_file(self.token_file)

    @property
    def client(self) -> FolkeregisterClient:
        if self._client is None:
            self._client = FolkeregisterClient(
                self.base_url, token_provider=self._bearer, timeout=self._timeout
            )
        return self._client

    def get_person(self, pid: str) -> PersonRecord | None:
        if not (len(pid) == 11 and pid.isascii() and pid.isdigit()):
            return None
        doc = self.client.person(pid)
        return person_from_freg(pid, doc) if doc is not None else None

    def check_config(self) -> list[str]:
        problems = []
        if not self.base_url:
            problems.append("IKTIPET_FOLKEREGISTER_URL is not set.")
        if not self._token:
            problems += token_file_problems(self.token_file, "IKTIPET_FOLKEREGISTER_TOKEN_FILE")
        return problems
