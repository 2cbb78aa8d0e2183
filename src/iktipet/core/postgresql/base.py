"""Django's PostgreSQL backend with two per-request costs taken out (issue 13).

* Timestamps are read by psycopg's C loader. Django registers a Python subclass of psycopg's
  ``TimestamptzLoader`` on every connection (to set the tzinfo it wants), and psycopg then
  parses each ``timestamptz`` value in Python: ~10 µs a value against ~0.3 µs in C, measured
  here (a week of booking times, 336 values: 3.5 ms against 0.36 ms). When Django's time zone
  for the connection is UTC, the C loader's result is the same: the connection's time zone is
  set to UTC on connect, and psycopg gives UTC values ``datetime.timezone.utc``, the tzinfo
  Django sets.
* The health check (``CONN_HEALTH_CHECKS``) runs on the first query of every request. Django's
  sends ``SELECT 1``: a round trip and ~30–100 µs of CPU through psycopg. Here an idle
  connection is taken as usable when its socket has nothing to read; a backend that was
  terminated or a server that shut down has sent its error and closed the socket, which reads
  as readable, and only then is ``SELECT 1`` asked. So a restart of PostgreSQL still costs no
  failed request (tests/core/test_core_postgresql.py).
* ``iktipet.core.rows`` runs its compiled reads through one psycopg cursor kept per
  connection (``run_kept``). A cursor made per statement, as Django's ``connection.cursor()``
  makes it, costs its adapters map, its transformer and the loaders it looks up again for
  each column; with Django's wrapper around it that was ~40–70 µs of a ~150 µs statement
  measured here. The kept cursor belongs to the connection's thread (as the connection),
  is dropped with the connection, and its result is released after each statement.
"""

from __future__ import annotations

import datetime
import select
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import psycopg
from django.conf import settings
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import get_adapters_template, register_tzloader
from psycopg import Connection, adapt, pq
from psycopg.types.datetime import TimestamptzLoader

IDLE = pq.TransactionStatus.IDLE

#: Whether this psycopg lets a cursor drop its last result (private methods, checked here
#: because psycopg is not pinned to a version): without them no cursor is kept, and each
#: statement gets a cursor of its own, closed after it, as before.
_RELEASABLE = hasattr(psycopg.Cursor, "_reset") and hasattr(
    psycopg.adapt.Transformer, "set_pgresult"
)


@lru_cache
def _adapters_utc() -> adapt.AdaptersMap:
    """Django's adapters, with psycopg's own timestamptz loader (its C version, when
    installed: psycopg registers that in place of the Python class)."""
    adapters = adapt.AdaptersMap(get_adapters_template(True, datetime.UTC))
    adapters.register_loader("timestamptz", TimestamptzLoader)
    return adapters


def _idle_and_quiet(connection: Connection[Any]) -> bool:
    """Nothing in flight and nothing come from the server since the last result."""
    if connection.info.transaction_status != IDLE:
        return False
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN)
    return not poller.poll(0)


class DatabaseWrapper(base.DatabaseWrapper):
    #: Whether this connection's timestamps are read by psycopg's loader: decided with the
    #: connection's parameters (a lookup per cursor of the settings measured ~5 % of one).
    _timestamps_in_c = False
    #: run_kept's cursor, on ``connection`` (None: not made yet, or the connection closed).
    _kept: Any = None

    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        self._timestamps_in_c = bool(
            settings.USE_TZ and self.timezone is datetime.UTC and self.timezone_name == "UTC"
        )
        if self._timestamps_in_c:
            params["context"] = _adapters_utc()
        return params

    def create_cursor(self, name: str | None = None) -> Any:
        if not self._timestamps_in_c:
            return super().create_cursor(name)
        # Django's create_cursor asks the connection's timestamptz loader for its time zone,
        # to register its own on a cursor whose connection disagrees; the C loader has no
        # such attribute. Otherwise these are Django's cursors.
        if name is None:
            cursor = self.connection.cursor()
        elif self.settings_dict["OPTIONS"].get("server_side_binding") is True:
            cursor = self.connection.cursor(
                name, scrollable=False, withhold=self.connection.autocommit
            )
        else:
            cursor = base.ServerSideCursor(  # type: ignore[call-arg]  # stubs: psycopg2
                self.connection, name=name, scrollable=False, withhold=self.connection.autocommit
            )
        if self.timezone is not datetime.UTC:  # changed since the connect (tests)
            register_tzloader(self.timezone, cursor)
        return cursor

    def run_kept(self, sql: str, params: Sequence[Any], one: bool) -> Any:
        """The first row (``one``) or every row of ``sql``, through the cursor kept for
        this connection. The caller makes Django's checks and wraps the errors
        (``iktipet.core.rows._fetch``); the rows are fetched here in full, so nothing of
        one statement is left on the cursor for the next."""
        connection = self.connection
        if _RELEASABLE and self._timestamps_in_c and self.timezone is datetime.UTC:
            cursor = self._kept
            if cursor is None or cursor.connection is not connection:
                cursor = self._kept = connection.cursor()
        else:  # Django's loaders, registered per cursor (a time zone other than UTC)
            with self.create_cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone() if one else cursor.fetchall()
        try:
            cursor.execute(sql, params)
            return cursor.fetchone() if one else cursor.fetchall()
        finally:
            # psycopg keeps the last result on the cursor and in its transformer until
            # the next statement: released now (a read of many rows is not held).
            cursor._reset()
            cursor._tx.set_pgresult(None)

    def _close(self) -> None:
        self._kept = None
        super()._close()  # type: ignore[misc]  # stubs: no _close

    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        return _idle_and_quiet(self.connection) or bool(super().is_usable())
