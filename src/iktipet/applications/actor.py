"""Who is asking: the logged-in user and the party they act for.

The accounts app decides the acting party (``iktipet.accounts.acting_party``); this module
turns its answer into the small value the application selectors take, so that the rest of
this app depends on one shape only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

PERSON, ORGANISATION = "person", "organisation"


@dataclass(frozen=True)
class Party:
    """Whom an application is for: the person themself, or an organisation (orgnr)."""

    kind: str
    identifier: str = ""
    name: str = ""

    @property
    def is_organisation(self) -> bool:
        return self.kind == ORGANISATION


SELF = Party(PERSON)


def party_from(value: Any) -> Party:
    """A :class:`Party` from whatever the accounts app returns (None means the person)."""
    if value is None:
        return SELF
    if isinstance(value, Party):
        return value
    kind = str(getattr(value, "kind", PERSON) or PERSON)
    if kind != ORGANISATION:
        return Party(PERSON, "", str(getattr(value, "name", "") or ""))
    return Party(
        ORGANISATION,
        str(getattr(value, "identifier", "") or getattr(value, "orgnr", "") or ""),
        str(getattr(value, "name", "") or ""),
    )


def current_party(request: HttpRequest) -> Party:
    from iktipet.accounts import acting_party  # type: ignore[attr-defined]

    return party_from(acting_party(request))
