"""The ``brreg`` organisation-register plugin: Enhetsregisteret JSON → Unit/Role.

What the OPEN API cannot do: its roles carry name and birth date but no fødselsnummer, and
it cannot list the units where a person holds a role. So ``parties_for_person`` here
checks a configured list of candidate orgnrs (``IKTIPET_BRREG_CANDIDATE_ORGNRS``) and
matches the person by full name + birth date. Two people with the same name and birth
date would both match: that is good enough for a demo against real data, NOT for
production. Production must use the authorised roles API (``/autorisert-api/…/roller``,
with fødselsnummer) or Altinn AuthorizedParties (INTEGRATIONS.md §2–3) instead.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from iktipet.registers.brreg.client import DEFAULT_BASE_URL, REGISTER, BrregClient
from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.organisations import (
    PARTY_ROLE_CODES,
    BaseOrganisationRegister,
    Role,
    Unit,
    UnitAddress,
    clean_orgnr,
    iso_date,
    normalise_name,
    organisation_registers,
)


def _address(item: Any) -> UnitAddress | None:
    if not isinstance(item, dict):
        return None
    return UnitAddress(
        lines=[str(line) for line in item.get("adresse") or [] if line],
        postnummer=str(item.get("postnummer") or ""),
        poststed=str(item.get("poststed") or ""),
        kommunenummer=str(item.get("kommunenummer") or ""),
        country_code=str(item.get("landkode") or "NO"),
    )


def unit_from_enhet(data: dict[str, Any], *, gone: bool = False) -> Unit:
    orgnr, name = data.get("organisasjonsnummer"), data.get("navn")
    if not isinstance(orgnr, str) or not isinstance(name, str):
        if not gone:
            raise RegisterUnavailable(REGISTER, "enhet lacks organisasjonsnummer or navn")
        orgnr, name = str(orgnr or ""), str(name or "")
    form = data.get("organisasjonsform") if isinstance(data.get("organisasjonsform"), dict) else {}
    industry = data.get("naeringskode1") if isinstance(data.get("naeringskode1"), dict) else {}
    deleted_date = iso_date(data.get("slettedato"))
    return Unit(
        orgnr=orgnr,
        name=name,
        form_code=str(form.get("kode") or ""),
        form_description=str(form.get("beskrivelse") or ""),
        business_address=_address(data.get("forretningsadresse")),
        postal_address=_address(data.get("postadresse")),
        industry_code=str(industry.get("kode") or ""),
        industry_description=str(industry.get("beskrivelse") or ""),
        deleted=gone or deleted_date is not None,
        deleted_date=deleted_date,
        bankrupt=data.get("konkurs") is True,
        under_liquidation=data.get("underAvvikling") is True
        or data.get("underTvangsavviklingEllerTvangsopplosning") is True,
    )


def _person_name(person: dict[str, Any]) -> str:
    navn = person.get("navn") if isinstance(person.get("navn"), dict) else {}
    parts = (navn.get("fornavn"), navn.get("mellomnavn"), navn.get("etternavn"))
    return " ".join(str(part) for part in parts if part)


def roles_from_roller(data: dict[str, Any]) -> list[Role]:
    """Current roles; groups or roles in an unexpected shape are skipped, not guessed."""
    roles = []
    groups = data.get("rollegrupper")
    for group in groups if isinstance(groups, list) else []:
        if not isinstance(group, dict):
            continue
        group_code = str((group.get("type") or {}).get("kode") or "")
        for item in group.get("roller") or []:
            if not isinstance(item, dict) or item.get("fratraadt") or item.get("avregistrert"):
                continue
            kind = item.get("type") if isinstance(item.get("type"), dict) else {}
            code = str(kind.get("kode") or "")
            if not code:
                continue
            person, enhet = item.get("person"), item.get("enhet")
            if isinstance(person, dict):
                if person.get("erDoed"):
                    continue
                name, birth, holder = (
                    _person_name(person),
                    iso_date(person.get("fodselsdato")),
                    None,
                )
            elif isinstance(enhet, dict):
                names = enhet.get("navn")
                name = " ".join(names) if isinstance(names, list) else str(names or "")
                birth, holder = None, enhet.get("organisasjonsnummer")
            else:
                continue
            roles.append(
                Role(
                    code=code,
                    description=str(kind.get("beskrivelse") or ""),
                    name=name,
                    birth_date=birth,
                    pid=None,
                    group_code=group_code,
                    holder_orgnr=str(holder) if holder else None,
                )
            )
    return roles


@organisation_registers.register("brreg")
class BrregOrganisationRegister(BaseOrganisationRegister):
    """The open Enhetsregisteret API (no fødselsnummer in roles: see the module docstring)."""

    label = "Enhetsregisteret, open API (Brønnøysundregistrene)"

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 5.0,
        candidate_orgnrs: Iterable[str] = (),
        client: BrregClient | None = None,
    ) -> None:
        self.base_url = base_url
        self.candidate_orgnrs = list(candidate_orgnrs)
        self._timeout = timeout
        self._client = client

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {
            "base_url": conf.BRREG_URL,
            "timeout": conf.REGISTER_TIMEOUT,
            "candidate_orgnrs": conf.BRREG_CANDIDATE_ORGNRS,
        }

    @property
    def client(self) -> BrregClient:
        if self._client is None:
            self._client = BrregClient(self.base_url, timeout=self._timeout)
        return self._client

    def get_unit(self, orgnr: str) -> Unit | None:
        number = clean_orgnr(orgnr)
        if number is None:
            return None
        response = self.client.enhet(number)
        if response is None:
            return None
        return unit_from_enhet(response.data, gone=response.gone)

    def roles(self, orgnr: str) -> list[Role]:
        number = clean_orgnr(orgnr)
        data = self.client.roller(number) if number else None
        return roles_from_roller(data) if data else []

    def parties_for_person(
        self,
        pid: str,
        birth_date: datetime.date | None,
        name: str,
        role_codes: Iterable[str] = PARTY_ROLE_CODES,
    ) -> list[Unit]:
        """Candidate units where someone with this name AND birth date holds a role.

        ``pid`` is unused: the open API has no fødselsnummer. Without a birth date nothing
        matches, since a name alone is far too weak.
        """
        if birth_date is None or not name.strip():
            return []
        codes, wanted = list(role_codes), normalise_name(name)
        parties = []
        for orgnr in self.candidate_orgnrs:
            holds_role = any(
                role.matches(codes)
                and role.birth_date == birth_date
                and normalise_name(role.name) == wanted
                for role in self.roles(orgnr)
            )
            if not holds_role:
                continue
            unit = self.get_unit(orgnr)
            if unit is not None and not unit.deleted:
                parties.append(unit)
        return parties

    def search(self, name: str, *, kommunenummer: str | None = None, limit: int = 20) -> list[Unit]:
        if not name.strip() or limit <= 0:
            return []
        found = self.client.sok_enheter(
            navn=name.strip(), kommunenummer=kommunenummer or "", size=min(limit, 100)
        )
        return [unit_from_enhet(item) for item in found][:limit]

    def check_config(self) -> list[str]:
        problems = []
        if not self.base_url:
            problems.append("IKTIPET_BRREG_URL is empty.")
        bad = [orgnr for orgnr in self.candidate_orgnrs if clean_orgnr(orgnr) is None]
        if bad:
            problems.append(
                f"IKTIPET_BRREG_CANDIDATE_ORGNRS holds invalid orgnr(s): {', '.join(bad)}."
            )
        if not self.candidate_orgnrs:
            problems.append(
                "IKTIPET_BRREG_CANDIDATE_ORGNRS is empty: with the open API nobody can act on "
                "behalf of an organisation. Use Altinn AuthorizedParties in production."
            )
        return problems
