"""Register look-ups the accounts app needs, failing soft: a login must not die with a register.

The adapters promise ``RegisterUnavailable``; anything else they raise (a missing demo dataset,
a bug) is logged by type only (messages could carry data) and treated the same way.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
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


#: The register's list of a person's organisations, per process: (when it answered, what).
#: Bounded; the oldest entries go first.
_LISTED: OrderedDict[Hashable, tuple[float, tuple[ActingParty, ...]]] = OrderedDict()
_LISTED_MAX = 1024
_LISTED_LOCK = threading.Lock()


def _listed_key(person: Person, codes: tuple[str, ...]) -> Hashable:
    """Who asked (the pid's look-up hash, not the pid, and the name the register matches
    on), for which role codes, of which register as the settings configure it now."""
    from iktipet.registers.organisations import organisation_registers

    register = tuple(
        (choice.name, repr(sorted(organisation_registers.options(choice.name).items())))
        for choice in organisation_registers.chosen()
    )
    return (register, person.pid_hash, person.user.get_full_name(), codes)


def organisations_listed_for(
    person: Person, role_codes: Iterable[str] | None = None
) -> list[ActingParty]:
    """``organisations_for`` for a page that lists the person's organisations (Min side),
    the register's answer kept per process for at most ``party_recheck_seconds()``: what the
    right to act already trusts a yes for. Parsing the register's data for every page was
    ~0.15 ms of CPU (issue 13). A choice of party still asks the register
    (``organisations_for``); a failure is never kept."""
    from iktipet.accounts import sessions
    from iktipet.accounts.parties import party_recheck_seconds, party_role_codes

    codes = tuple(role_codes) if role_codes is not None else party_role_codes()
    ttl = party_recheck_seconds()
    if ttl <= 0:
        return organisations_for(person, codes)
    key = _listed_key(person, codes)
    now = sessions.now()
    with _LISTED_LOCK:
        found = _LISTED.get(key)
    if found is not None and 0 <= now - found[0] < ttl:
        return list(found[1])
    parties = organisations_for(person, codes)
    with _LISTED_LOCK:
        _LISTED[key] = (now, tuple(parties))
        _LISTED.move_to_end(key)
        while len(_LISTED) > _LISTED_MAX:
            _LISTED.popitem(last=False)
    return parties


def right_to_act(person: Person, orgnr: str, role_codes: Iterable[str]) -> bool:
    """``may_act_for`` that raises RegisterFailed instead of whatever the register raised."""
    from iktipet.accounts.parties import may_act_for

    return _soft("organisation", lambda: may_act_for(person, orgnr, role_codes))
