"""Whom a logged-in person acts for: themself, or an organisation they hold a role in.

The right to act for an organisation is a fact of Enhetsregisteret, never of the request: the
role codes that qualify come from the service's definition (or the platform default), and the
register is asked again whenever the party is used — at most ``party_recheck_seconds()`` after
the last positive answer. A person whose role was removed drops back to acting for themself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from iktipet.accounts import sessions
from iktipet.accounts.models import Person
from iktipet.core.identifiers import InvalidIdentifier, birth_date_from_fodselsnummer

PERSON: Literal["person"] = "person"
ORGANISATION: Literal["organisation"] = "organisation"
_MEMO = "_iktipet_acting_party"


@dataclass(frozen=True)
class ActingParty:
    """The party a person acts for: what every selector and service that serves a citizen
    takes beside the user. ``id`` is the orgnr for an organisation; for a person it is the
    person record's primary key, or empty where only the kind matters (never a
    fødselsnummer)."""

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
    return tuple(settings.ACCOUNTS_PARTY_ROLE_CODES)


def party_recheck_seconds() -> int:
    return int(settings.ACCOUNTS_PARTY_RECHECK_SECONDS)


# --- the role codes of a service -------------------------------------------------------------

#: Set by the app that owns service definitions (``applications``): service id → its
#: ``representation_roles`` (empty for the platform default), None for an unknown service.
_service_roles: Callable[[str], Iterable[str] | None] | None = None


def service_roles_from(lookup: Callable[[str], Iterable[str] | None]) -> None:
    """Register where the role codes of a service come from (accounts knows no catalogue)."""
    global _service_roles
    _service_roles = lookup


def role_codes_for(service_id: str | None) -> tuple[str, ...]:
    """The role codes that let a person act for an organisation in ``service_id`` (the
    platform default without a service, or for one that names none)."""
    if service_id and _service_roles is not None:
        codes = tuple(_service_roles(service_id) or ())
        if codes:
            return codes
    return party_role_codes()


def myself(person: Person) -> ActingParty:
    return ActingParty(PERSON, str(person.pk), person.user.get_full_name())


def for_self(user: Any) -> ActingParty:
    """``user`` acting for themself, without a query (a service for persons only)."""
    name = user.get_full_name() if getattr(user, "is_authenticated", False) else ""
    return ActingParty(PERSON, "", name)


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


# --- the right to act, checked where it is used --------------------------------------------


def _check_key(user_pk: Any, orgnr: str, codes: tuple[str, ...]) -> str:
    return f"accounts.may_act:{user_pk}:{orgnr}:{','.join(sorted(codes))}"


def remember_right(person: Person, orgnr: str, role_codes: Iterable[str]) -> None:
    """The register has just confirmed the right (``parties_for``): no need to ask again now."""
    key = _check_key(person.user_id, orgnr, tuple(role_codes))
    cache.set(key, sessions.now(), party_recheck_seconds())


def may_act_for(person: Person, orgnr: str, role_codes: Iterable[str]) -> bool:
    """Whether Enhetsregisteret lists ``person`` in one of ``role_codes`` for ``orgnr``.

    A yes is remembered (in the cache, with its time) for ``party_recheck_seconds()``; a no
    is never remembered. Raises ``RegisterUnavailable`` when the register cannot answer.
    """
    codes = tuple(role_codes)
    if confirmed_recently(person.user_id, orgnr, codes):
        return True
    if any(party.id == orgnr for party in parties_for(person, codes)):
        remember_right(person, orgnr, codes)
        return True
    cache.delete(_check_key(person.user_id, orgnr, codes))
    return False


def confirmed_recently(user_pk: Any, orgnr: str, role_codes: Iterable[str]) -> bool:
    """The register said yes within ``party_recheck_seconds()`` (one cache read, no query)."""
    checked_at = cache.get(_check_key(user_pk, orgnr, tuple(role_codes)))
    return isinstance(checked_at, float) and sessions.now() - checked_at < party_recheck_seconds()


def _chosen(request: HttpRequest) -> tuple[ActingParty, tuple[str, ...]] | None:
    chosen = request.session.get(sessions.PARTY)
    if not isinstance(chosen, dict) or chosen.get("kind") not in (PERSON, ORGANISATION):
        return None
    party = ActingParty(chosen["kind"], str(chosen.get("id", "")), str(chosen.get("name", "")))
    roles = chosen.get("roles")
    codes = tuple(str(code) for code in roles) if isinstance(roles, list) and roles else ()
    return party, codes or party_role_codes()


def remember_choice(request: HttpRequest, party: ActingParty, role_codes: Iterable[str]) -> None:
    """Keep ``party`` in the session with the role codes its right was checked for."""
    entry = party.as_dict()
    if party.is_organisation:
        entry["roles"] = list(role_codes)
    request.session[sessions.PARTY] = entry
    setattr(request, _MEMO, (entry, party))


def _verified(request: HttpRequest, user: Any, party: ActingParty, codes: tuple[str, ...]) -> bool:
    """Ask the register (through the cache) whether the user may still act for ``party``."""
    from iktipet.accounts.registers import RegisterFailed, right_to_act
    from iktipet.core.audit import record

    if confirmed_recently(user.pk, party.id, codes):
        return True
    person = Person.objects.select_related("user").filter(user=user).first()
    if person is None:
        return False
    try:
        allowed = right_to_act(person, party.id, codes)
    except RegisterFailed:
        # Fail closed for this request only: the choice stays for when the register is back.
        return False
    if not allowed:
        request.session[sessions.PARTY] = myself(person).as_dict()
        record(user, "accounts.acting_party_revoked", person, {"orgnr": party.id})
    return allowed


def acting_party(request: HttpRequest) -> ActingParty | None:
    """The party the logged-in citizen acts for; None when no citizen is logged in.

    An organisation is returned only while the register confirms the person's right to act
    for it (asked again after ``party_recheck_seconds()``); otherwise the person themself.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "is_citizen", False):
        return None
    entry = request.session.get(sessions.PARTY)
    memo = getattr(request, _MEMO, None)
    if memo is not None and memo[0] is entry:
        return memo[1]
    chosen = _chosen(request)
    if chosen is not None and (
        not chosen[0].is_organisation or _verified(request, user, chosen[0], chosen[1])
    ):
        party: ActingParty | None = chosen[0]
    else:
        person = Person.objects.filter(user=user).only("pk").first()
        party = ActingParty(PERSON, str(person.pk), user.get_full_name()) if person else None
    setattr(request, _MEMO, (request.session.get(sessions.PARTY), party))
    return party


def current_party(request: HttpRequest) -> ActingParty:
    """:func:`acting_party`, or the user themself for anyone who is not a citizen (the
    selectors then find nothing of an organisation's)."""
    return acting_party(request) or for_self(getattr(request, "user", None))
