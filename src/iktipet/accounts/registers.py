"""Register look-ups the accounts app needs, failing soft: a login must not die with a register.

The adapters promise ``RegisterUnavailable``; anything else they raise (a missing demo dataset,
a bug) is logged by type only (messages could carry data) and treated the same way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from iktipet.accounts.models import Person
    from iktipet.accounts.parties import ActingParty
    from iktipet.registers.population import PersonRecord

logger = logging.getLogger(__name__)
T = TypeVar("T")


class RegisterFailed(Exception):
    """A register could not answer; ``str()`` is a translated sentence for the page."""


def _soft(what: str, call: Callable[[], T]) -> T:
    from iktipet.registers.errors import RegisterError

    try:
        return call()
    except RegisterError as exc:
        logger.warning("register unavailable", extra={"register": what, "error": str(exc)})
        message = getattr(exc, "user_message", "")
    except Exception as exc:
        logger.warning("register failed", extra={"register": what, "error": type(exc).__name__})
        message = ""
    raise RegisterFailed(
        message
        or _("Vi får ikke hentet opplysninger fra registeret akkurat nå. Prøv igjen om litt.")
    )


def person_record(pid: str) -> PersonRecord | None:
    """The population register's record; raises RegisterFailed."""
    from iktipet.registers.population import population_register

    return _soft("population", lambda: population_register().get_person(pid))


def organisations_for(person: Person, role_codes: Iterable[str] | None = None) -> list[ActingParty]:
    """``parties_for`` that raises RegisterFailed instead of whatever the register raised."""
    from iktipet.accounts.parties import parties_for

    return _soft("organisation", lambda: parties_for(person, role_codes))


def right_to_act(person: Person, orgnr: str, role_codes: Iterable[str]) -> bool:
    """``may_act_for`` that raises RegisterFailed instead of whatever the register raised."""
    from iktipet.accounts.parties import may_act_for

    return _soft("organisation", lambda: may_act_for(person, orgnr, role_codes))
