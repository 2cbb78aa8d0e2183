"""Whom a logged-in person acts for: themself, or an organisation they hold a role in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest

from iktipet.accounts import sessions
from iktipet.accounts.models import Person
from iktipet.core.identifiers import InvalidIdentifier, birth_date_from_fodselsnummer

PERSON: Literal["person"] = "person"
ORGANISATION: Literal["organisation"] = "organisation"
#: Roles in Enhetsregisteret that may act for a unit without a delegation (INTEGRATIONS.md §2).
DEFAULT_ROLE_CODES: tuple[str, ...] = ("DAGL", "LEDE", "INNH")


@dataclass(frozen=True)
class ActingParty:
    """The party a person acts for. ``id`` is the orgnr for an organisation and the person
    record's primary key for a person (never a fødselsnummer)."""

    kind: Literal["person", "organisation"]
    id: str
    name: str

    @property
    def is_organisation(self) -> bool:
        return self.kind == ORGANISATION

    @property
    def identifier(self) -> str:
        return self.id

    @property
    def orgnr(self) -> str:
        return self.id if self.is_organisation else ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def party_role_codes() -> tuple[str, ...]:
    return tuple(getattr(settings, "ACCOUNTS_PARTY_ROLE_CODES", DEFAULT_ROLE_CODES))


def myself(person: Person) -> ActingParty:
    return ActingParty(PERSON, str(person.pk), person.user.get_full_name())


def parties_for(person: Person, role_codes: Iterable[str] | None = None) -> list[ActingParty]:
    """Organisations where Enhetsregisteret lists ``person`` in one of ``role_codes``.

    Raises ``iktipet.registers.errors.RegisterUnavailable`` when the register cannot answer.
    """
    from iktipet.registers.organisations import organisation_register

    codes = tuple(role_codes) if role_codes is not None else party_role_codes()
    pid = person.pid
    try:
        birth_date = birth_date_from_fodselsnummer(pid)
    except InvalidIdentifier:
        birth_date = None
    units = organisation_register().parties_for_person(
        pid, birth_date, person.user.get_full_name(), codes
    )
    seen: set[str] = set()
    parties = []
    for unit in units:
        if unit.orgnr not in seen:
            seen.add(unit.orgnr)
            parties.append(ActingParty(ORGANISATION, unit.orgnr, unit.name))
    return sorted(parties, key=lambda party: party.name.casefold())


def acting_party(request: HttpRequest) -> ActingParty | None:
    """The party the logged-in citizen acts for; None when no citizen is logged in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_citizen", False):
        return None
    chosen = request.session.get(sessions.PARTY)
    if isinstance(chosen, dict) and chosen.get("kind") in (PERSON, ORGANISATION):
        return ActingParty(chosen["kind"], str(chosen.get("id", "")), str(chosen.get("name", "")))
    person = Person.objects.filter(user=user).only("pk").first()
    if person is None:
        return None
    return ActingParty(PERSON, str(person.pk), user.get_full_name())
