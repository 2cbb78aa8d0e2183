"""A session's rewrite does not wait for PostgreSQL to flush its log to disk.

A logged-in request rewrites its session now and then (the last-seen time, at most once a
minute per person; a choice such as the organisation a person acts for). With PostgreSQL's
default ``synchronous_commit = on`` each such commit waits for the WAL to reach the disk:
5–15 ms on this machine, against 0.03 ms without the wait (measured with 200 one-row
updates each way). The request holds a server thread for that time, and when many
sessions fall due together (the bench's citizens, all touched in the same minute) the waits
queue up: the step page's p99 at half load rose from ~7 ms to 120–220 ms in the runs where
the sessions had aged past the minute.

What such a commit risks is only the last fraction of a second before the database server
itself crashes (``wal_writer_delay``, 200 ms by default, times three at most): the session
then holds its earlier value. An older last-seen time logs a person out sooner, never later;
an older choice of organisation is re-checked against the register as every choice is. A new
session (a login: ``must_create``) and a deleted one (a logout) keep the durable commit,
and so does a save inside someone else's transaction, which this must not change.
"""

from __future__ import annotations

from django.db import connections, router, transaction


class QuickCommit:
    """Mixed into the database session stores, before Django's own."""

    model: type
    session_key: str | None

    def save(self, must_create: bool = False) -> None:
        using = router.db_for_write(self.model)
        connection = connections[using]
        if (
            must_create
            or self.session_key is None
            or connection.vendor != "postgresql"
            or connection.in_atomic_block
        ):
            super().save(must_create)  # type: ignore[misc]
            return
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                # LOCAL: for this transaction only; the connection's next one is durable.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            super().save(must_create)  # type: ignore[misc]
