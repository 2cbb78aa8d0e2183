"""Who can log in with TestID: the synthetic persons of the demo dataset and synthetic staff.

All of it is synthetic test data. TestID accepts no real fødselsnummer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iktipet.core.identifiers import mask_fodselsnummer


@dataclass(frozen=True)
class TestPerson:
    name: str
    pid: str

    @property
    def key(self) -> str:
        """What the login form posts instead of the number itself."""
        return hashlib.sha256(f"testid-person:{self.pid}".encode()).hexdigest()[:16]

    @property
    def masked_pid(self) -> str:
        return mask_fodselsnummer(self.pid)


def test_persons() -> list[TestPerson]:
    """The synthetic persons from the population register's demo dataset."""
    from iktipet.registers.population import synthetic_persons

    return [TestPerson(name=p.full_name, pid=p.pid) for p in synthetic_persons()]


def test_person_by_key(key: str) -> TestPerson | None:
    return next((p for p in test_persons() if p.key == key), None)


ROLE_LABELS = {
    "case_worker": gettext_lazy("saksbehandler"),
    "service_admin": gettext_lazy("tjenesteforvalter"),
    "agency_admin": gettext_lazy("virksomhetsadministrator"),
    "operator": gettext_lazy("driftsoperatør"),
    "finance": gettext_lazy("økonomi (refusjon og avstemming)"),
}

AGENCY_NAMES = {
    "naeringsetaten": "Næringsetaten",
    "plan-og-bygningsetaten": "Plan- og bygningsetaten",
    "utdanningsetaten": "Utdanningsetaten",
    "bymiljoetaten": "Bymiljøetaten",
}


@dataclass(frozen=True)
class StaffUser:
    """A synthetic employee. ``roles`` are ``"<agency slug>:<role>"`` or a platform role."""

    username: str
    given_name: str
    family_name: str
    roles: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def email(self) -> str:
        return f"{self.username}@demo.iktipet.invalid"

    @property
    def description(self) -> str:
        """``"Næringsetaten, saksbehandler"`` for each role."""
        parts = []
        for role in self.roles:
            agency, _sep, name = role.rpartition(":")
            label = str(ROLE_LABELS.get(name, name))
            parts.append(f"{AGENCY_NAMES.get(agency, agency)}, {label}" if agency else label)
        return "; ".join(parts) or _("ingen roller")


STAFF_USERS: tuple[StaffUser, ...] = (
    StaffUser("sara.saksbehandler", "Sara", "Saksbehandler", ("naeringsetaten:case_worker",)),
    StaffUser("pal.plan", "Pål", "Plan", ("plan-og-bygningsetaten:case_worker",)),
    StaffUser("ulla.utdanning", "Ulla", "Utdanning", ("utdanningsetaten:case_worker",)),
    StaffUser("bjorn.bymiljo", "Bjørn", "Bymiljø", ("bymiljoetaten:case_worker",)),
    StaffUser("tor.tjeneste", "Tor", "Tjenesteforvalter", ("naeringsetaten:service_admin",)),
    StaffUser("ada.admin", "Ada", "Admin", ("naeringsetaten:agency_admin",)),
    StaffUser("frida.finans", "Frida", "Finans", ("naeringsetaten:finance",)),
    StaffUser("ola.operator", "Ola", "Operatør", ("operator",)),
)


def staff_user(username: str) -> StaffUser | None:
    return next((u for u in STAFF_USERS if u.username == username), None)
