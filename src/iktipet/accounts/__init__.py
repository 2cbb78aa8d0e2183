"""Accounts: OIDC login for citizens (ID-porten) and staff, levels of assurance, acting parties.

What other apps use, importable from here::

    from iktipet.accounts import (
        acting_party,            # acting_party(request) -> ActingParty | None
        current_party,           # current_party(request) -> ActingParty (the person if no org)
        parties_for,             # parties_for(person, role_codes) -> list[ActingParty]
        citizen_login_required,  # @citizen_login_required(level="high")
        staff_required,          # @staff_required(role="case_worker")
        has_role,                # has_role(user, "case_worker", agency=None)
        staff_agencies,          # staff_agencies(user, roles=("case_worker",))
        person_for_user,         # the Person of a logged-in citizen (404 otherwise)
    )

Names resolve on first use, so importing this package never loads models early.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "ActingParty": "iktipet.accounts.parties",
    "acting_party": "iktipet.accounts.parties",
    "current_party": "iktipet.accounts.parties",
    "for_self": "iktipet.accounts.parties",
    "parties_for": "iktipet.accounts.parties",
    "citizen_login_required": "iktipet.accounts.decorators",
    "citizen_login_redirect": "iktipet.accounts.decorators",
    "staff_required": "iktipet.accounts.decorators",
    "staff_access": "iktipet.accounts.decorators",
    "has_role": "iktipet.accounts.roles",
    "staff_agencies": "iktipet.accounts.roles",
    "staff_roles": "iktipet.accounts.roles",
    "person_for_user": "iktipet.accounts.selectors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'iktipet.accounts' has no attribute {name!r}")
    return getattr(import_module(module), name)
