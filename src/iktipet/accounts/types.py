"""The actor types services and selectors take (import under ``TYPE_CHECKING``).

A service (a write) takes the ``User`` who acts; a citizen's service or selector also takes
the :class:`~iktipet.accounts.parties.ActingParty` they act for. A selector that answers
anyone who makes a request takes a ``Viewer``: the user, or Django's anonymous one (who
finds nothing).
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from iktipet.accounts.models import User
from iktipet.accounts.parties import ActingParty

Viewer: TypeAlias = User | AnonymousUser

__all__ = ["ActingParty", "User", "Viewer"]
