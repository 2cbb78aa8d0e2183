"""``SESSION_ENGINE = "iktipet.core.sessions.cached_db"``: Django's cached database sessions;
a miss in the cache reads the database with SQL compiled once (see the package's docstring)."""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db

from iktipet.core.sessions import CompiledRead
from iktipet.core.sessions.commit import QuickCommit


class SessionStore(CompiledRead, QuickCommit, cached_db.SessionStore):
    pass
