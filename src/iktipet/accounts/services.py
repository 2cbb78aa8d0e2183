"""Writes of the accounts app: sign in, sign out, end sessions, choose whom to act for.

Each action audits itself (``core.audit.record``). No fødselsnummer goes into the audit log.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from iktipet.accounts import loa, sessions
from iktipet.accounts.models import OidcSession, Person, StaffRole, User
from iktipet.accounts.oidc.errors import OidcError
from iktipet.accounts.oidc.flow import CompletedLogin, EndSession, end_session
from iktipet.accounts.oidc.provider import (
    CITIZEN,
    STAFF,
    OidcProvider,
    citizen_provider,
    provider_for,
    staff_provider,
)
from iktipet.accounts.parties import (
    ActingParty,
    myself,
    party_role_codes,
    remember_choice,
    remember_right,
)
from iktipet.accounts.pid import pid_lookup_hash
from iktipet.accounts.registers import RegisterFailed, organisations_for, person_record
from iktipet.accounts.roles import parse_roles_claim
from iktipet.core.audit import record
from iktipet.core.errors import ActionRefused
from iktipet.core.identifiers import InvalidIdentifier, validate_fodselsnummer
from iktipet.core.models import Agency

logger = logging.getLogger(__name__)
BACKEND = "iktipet.accounts.backends.OidcBackend"


# --- Citizens ---------------------------------------------------------------------------------


def find_or_create_person(pid: str) -> Person:
    digest = pid_lookup_hash(pid)
    person = Person.objects.select_related("user").filter(pid_hash=digest).first()
    if person is not None:
        return person
    try:
        with transaction.atomic():
            user = User.objects.create(username=f"p-{uuid.uuid4().hex}", kind=User.Kind.CITIZEN)
            user.set_unusable_password()
            user.save(update_fields=["password"])
            person = Person(user=user)
            person.set_pid(pid)
            person.save()
            return person
    except IntegrityError:
        # Two first logins of the same person at once: the other one created the record.
        return Person.objects.select_related("user").get(pid_hash=digest)


def _refresh_name(person: Person) -> None:
    """Name from the population register (ID-porten sends none); the old one if it fails."""
    try:
        record_ = person_record(person.pid)
    except RegisterFailed:
        return
    if record_ is None:
        return
    user = person.user
    first = " ".join(part for part in (record_.given_name, record_.middle_name) if part)
    if (user.first_name, user.last_name) != (first, record_.family_name):
        user.first_name, user.last_name = first[:150], record_.family_name[:150]
        user.save(update_fields=["first_name", "last_name"])


def citizen_for_claims(claims: dict[str, Any]) -> Person:
    pid = claims.get("pid")
    # Synthetic test numbers only where test data belongs (TestID, test ID-porten, demo):
    # a production installation pointed at a test provider by mistake lets nobody in.
    allow_synthetic = bool(settings.ALLOW_SYNTHETIC_IDS)
    try:
        pid = validate_fodselsnummer(
            pid if isinstance(pid, str) else "", allow_synthetic=allow_synthetic
        )
    except InvalidIdentifier as exc:
        # Some foreign eIDs carry no pid: we cannot identify the person in our registers.
        raise OidcError("synthetic_pid" if exc.code == "synthetic" else "no_pid") from None
    person = find_or_create_person(pid)
    if not person.user.is_active:
        raise OidcError("user_inactive")
    _refresh_name(person)
    return person


# --- Staff ----------------------------------------------------------------------------------


def sync_staff_roles(user: User, wanted: Iterable[tuple[str | None, str]]) -> bool:
    """Make ``user``'s roles exactly ``wanted`` ((agency slug or None, role) pairs).

    Unknown agencies are skipped (and logged). Returns True when anything changed.
    """
    wanted = set(wanted)
    slugs = {slug for slug, _role in wanted if slug}
    agencies = {agency.slug: agency for agency in Agency.objects.filter(slug__in=slugs)}
    for slug in slugs - set(agencies):
        logger.warning("staff role names an unknown agency", extra={"agency": slug})
    target = {
        (agencies[slug].pk if slug else None, role)
        for slug, role in wanted
        if not slug or slug in agencies
    }
    with transaction.atomic():
        current = {(r.agency_id, r.role): r.pk for r in StaffRole.objects.filter(user=user)}
        stale = [pk for pair, pk in current.items() if pair not in target]
        StaffRole.objects.filter(pk__in=stale).delete()
        StaffRole.objects.bulk_create(
            [
                StaffRole(user=user, agency_id=agency_id, role=role)
                for agency_id, role in target - set(current)
            ]
        )
        # Roles read earlier for this user object (cases.permissions memoises them per
        # request) are stale now.
        user.__dict__.pop("_case_roles", None)
        is_operator = any(role == StaffRole.Role.OPERATOR for _agency, role in target)
        if (user.is_staff, user.is_superuser) != (bool(target), is_operator):
            user.is_staff, user.is_superuser = bool(target), is_operator
            user.save(update_fields=["is_staff", "is_superuser"])
    return bool(stale) or bool(target - set(current))


def staff_for_claims(provider: OidcProvider, claims: dict[str, Any]) -> User:
    issuer, subject = provider.issuer, str(claims["sub"])[:255]
    user = User.objects.filter(oidc_issuer=issuer, oidc_subject=subject).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create(
                    username=f"s-{uuid.uuid4().hex}",
                    kind=User.Kind.STAFF,
                    oidc_issuer=issuer,
                    oidc_subject=subject,
                )
                user.set_unusable_password()
                user.save(update_fields=["password"])
        except IntegrityError:
            user = User.objects.get(oidc_issuer=issuer, oidc_subject=subject)
    if not user.is_active:
        raise OidcError("user_inactive")
    first, last = _staff_names(claims)
    claimed_email = claims.get("email")
    email = claimed_email if isinstance(claimed_email, str) else user.email
    if (user.first_name, user.last_name, user.email) != (first, last, email):
        user.first_name, user.last_name, user.email = first, last, email[:254]
        user.save(update_fields=["first_name", "last_name", "email"])
    changed = sync_staff_roles(user, parse_roles_claim(claims, provider.roles_claim))
    if changed:
        roles = sorted(
            f"{role.agency.slug}:{role.role}" if role.agency else role.role
            for role in StaffRole.objects.filter(user=user).select_related("agency")
        )
        record(user, "accounts.staff_roles_changed", user, {"roles": roles})
    if not user.staff_roles.exists():
        raise OidcError("no_roles")
    return user


def _staff_names(claims: dict[str, Any]) -> tuple[str, str]:
    given, family = claims.get("given_name"), claims.get("family_name")
    if isinstance(given, str) or isinstance(family, str):
        return str(given or "")[:150], str(family or "")[:150]
    name = claims.get("name")
    if isinstance(name, str) and name.strip():
        first, _sep, last = name.strip().rpartition(" ")
        return (first or last)[:150], (last if first else "")[:150]
    return "", ""


# --- Sign in and out ----------------------------------------------------------------------------


def sign_in(request: HttpRequest, provider: OidcProvider, done: CompletedLogin) -> User:
    """Log the user in after a validated callback: rotate the session, remember the login."""
    claims = done.claims
    if provider.key == CITIZEN:
        person: Person | None = citizen_for_claims(claims)
        user = person.user  # type: ignore[union-attr]
    else:
        person = None
        user = staff_for_claims(provider, claims)

    before = sessions.login_info(request.session)
    same_user = request.user.is_authenticated and request.user.pk == user.pk
    old_key = request.session.session_key
    kept_party = request.session.get(sessions.PARTY) if same_user else None

    # The register and the provider were asked above; only our own writes run in here.
    with transaction.atomic():
        login(request, user, backend=BACKEND)  # a new session key (cycle_key), or a fresh session
        if not request.session.session_key:
            request.session.save()
        level = loa.level_of(claims.get("acr")) if provider.uses_loa else None
        claimed_sid = claims.get("sid")
        sid = claimed_sid if isinstance(claimed_sid, str) else ""
        at = sessions.now()
        sessions.store_login(
            request.session,
            sessions.LoginInfo(provider.key, level, at, provider.issuer, sid),
            done.id_token,
        )
        if person is not None:
            request.session[sessions.PARTY] = kept_party or myself(person).as_dict()

        if old_key:
            OidcSession.objects.filter(session_key=old_key).delete()
        if sid:
            OidcSession.objects.update_or_create(
                session_key=request.session.session_key,
                defaults={"issuer": provider.issuer, "sid": sid[:255], "user": user},
            )

        details = {"provider": provider.key, "level": level, "amr": _amr(claims)}
        if same_user and before is not None and before.level != level and level is not None:
            record(user, "accounts.step_up", user, {**details, "from_level": before.level})
        else:
            record(user, "accounts.login", user, details)
    return user


def _amr(claims: dict[str, Any]) -> list[str]:
    amr = claims.get("amr")
    if isinstance(amr, str):
        amr = [amr]
    return [str(item)[:40] for item in amr][:5] if isinstance(amr, list) else []


def sign_out(request: HttpRequest) -> EndSession | None:
    """End the local session; then the provider's end_session form to POST, if it has one."""
    info = sessions.login_info(request.session)
    id_token = sessions.id_token(request.session)
    user = request.user
    if user.is_authenticated:
        record(user, "accounts.logout", user, {"provider": info.provider if info else ""})
    if request.session.session_key:
        OidcSession.objects.filter(session_key=request.session.session_key).delete()
    logout(request)
    if info is None or info.provider not in (CITIZEN, STAFF):
        return None
    state = uuid.uuid4().hex
    return end_session(provider_for(info.provider), id_token=id_token, state=state)


def expire_session(request: HttpRequest, reason: str) -> None:
    """The idle or absolute limit passed: end the session (the provider's SSO ends by itself)."""
    user = request.user
    if user.is_authenticated:
        record(user, "accounts.session_expired", user, {"reason": reason})
    if request.session.session_key:
        OidcSession.objects.filter(session_key=request.session.session_key).delete()
    logout(request)


def end_provider_sessions(issuer: str, sid: str) -> int:
    """Front-channel logout: end exactly our sessions tied to the provider's (iss, sid)."""
    issuer = issuer.rstrip("/")
    known = {p.issuer for p in (citizen_provider(), staff_provider()) if p.issuer}
    if not sid or issuer not in known:
        return 0
    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = list(OidcSession.objects.filter(issuer=issuer, sid=sid).select_related("user"))
    for row in rows:
        store().delete(row.session_key)
        record(row.user, "accounts.logout", row.user, {"via": "frontchannel"})
    OidcSession.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


# --- Acting on behalf of an organisation ----------------------------------------------------------


def choose_acting_party(
    request: HttpRequest, person: Person, choice: str, role_codes: Iterable[str] | None = None
) -> ActingParty:
    """Act for ``choice`` ("self" or an orgnr the register lists the person for).

    ``role_codes`` are the ones a service's definition names (the platform default when
    None): the caller looks them up on the server, never takes them from the request.
    Raises ActionRefused when nothing was chosen or the register does not list the person
    for the organisation with one of those roles, RegisterFailed when it cannot answer.
    """
    codes = tuple(role_codes) if role_codes else party_role_codes()
    if not choice:
        raise ActionRefused(_("Velg hvem du vil representere."), field="party")
    if choice == "self":
        party = myself(person)
    else:
        allowed = {party.id: party for party in organisations_for(person, codes)}
        if choice not in allowed:
            raise ActionRefused(_("Du kan ikke representere denne virksomheten."), field="party")
        party = allowed[choice]
        remember_right(person, party.id, codes)
    previous = request.session.get(sessions.PARTY) or {}
    remember_choice(request, party, codes)
    if previous.get("kind") != party.kind or previous.get("id") != party.id:
        details = {"kind": party.kind, "orgnr": party.orgnr}
        record(request.user, "accounts.acting_party_changed", person, details)
    return party
