"""``SESSION_ENGINE = "iktipet.core.sessions.db"``: Django's database sessions, read with SQL
compiled once (see the package's docstring)."""

from __future__ import annotations

from django.contrib.sessions.backends import db

from iktipet.core.sessions import CompiledRead
from iktipet.core.sessions.commit import QuickCommit


class SessionStore(CompiledRead, QuickCommit, db.SessionStore):
    pass
