"""Demo: register TestID's clients and key, and print who can log in."""

from __future__ import annotations

import datetime

from django.conf import settings

from iktipet.core.demo import loader, login_hint
from iktipet.core.identifiers import birth_date_from_fodselsnummer
from iktipet.testid.clients import ensure_clients
from iktipet.testid.identities import STAFF_USERS, test_persons
from iktipet.testid.keys import current_signing_key

CITIZEN_HINTS = 4


def _age(born: datetime.date) -> int:
    today = datetime.date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@loader(order=5)
def load_testid() -> None:
    if not settings.TESTID_ENABLED:
        return
    ensure_clients()
    current_signing_key()
    adults = [p for p in test_persons() if _age(birth_date_from_fodselsnummer(p.pid)) >= 18]
    for person in adults[:CITIZEN_HINTS]:
        login_hint(f"{person.name:<24} {person.pid}  (TestID, innbygger)")
    for user in STAFF_USERS:
        login_hint(f"{user.name:<24} {user.description}  (TestID, ansatt)")
