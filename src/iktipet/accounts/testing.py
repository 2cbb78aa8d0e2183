"""Log a test client in without an identity provider. For other apps' tests only.

The session ends up exactly as after a real OIDC login (level, login time, acting party),
so views behind ``citizen_login_required`` and ``staff_required`` behave as in production.
Tests of the login itself drive the real flow (tests/accounts/).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from iktipet.accounts import sessions
from iktipet.accounts.models import Person, StaffRole, User
from iktipet.accounts.oidc.provider import CITIZEN, STAFF
from iktipet.accounts.parties import ActingParty, myself
from iktipet.accounts.services import BACKEND, find_or_create_person, sync_staff_roles


def _establish(client: Any, user: User, provider: str, level: str | None) -> None:
    client.force_login(user, backend=BACKEND)
    session = client.session
    info = sessions.LoginInfo(provider, level, sessions.now(), "", "")
    sessions.store_login(session, info, "")
    session.save()


def sign_in_citizen(
    client: Any,
    pid: str = "17819049912",
    *,
    level: str = "substantial",
    name: tuple[str, str] = ("Kari", "Nordmann-Test"),
    acting_for: ActingParty | None = None,
) -> Person:
    """Log ``client`` in as the person with ``pid`` at ``level``; returns the person."""
    person = find_or_create_person(pid)
    user = person.user
    if (user.first_name, user.last_name) != name:
        user.first_name, user.last_name = name
        user.save(update_fields=["first_name", "last_name"])
    _establish(client, user, CITIZEN, level)
    session = client.session
    session[sessions.PARTY] = (acting_for or myself(person)).as_dict()
    session.save()
    return person


def sign_in_staff(
    client: Any,
    roles: Iterable[tuple[str | None, str]] = (),
    *,
    username: str = "staff-test",
    name: tuple[str, str] = ("Siri", "Saksbehandler"),
) -> User:
    """Log ``client`` in as a staff member with ``roles`` ((agency slug, role) pairs;
    ``(None, "operator")`` for the platform role). The agencies must exist."""
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"kind": User.Kind.STAFF, "first_name": name[0], "last_name": name[1]},
    )
    sync_staff_roles(user, roles)
    if not StaffRole.objects.filter(user=user).exists():
        raise ValueError("a staff member needs at least one role")
    _establish(client, user, STAFF, None)
    return user
