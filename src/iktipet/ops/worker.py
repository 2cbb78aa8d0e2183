"""The task worker: django-tasks-db's worker plus a heartbeat and the periodic-job clock.

The worker takes its next task with one ``UPDATE … RETURNING`` (PostgreSQL, SQLite ≥ 3.35)
instead of django-tasks-db's transaction around a ``SELECT … FOR UPDATE SKIP LOCKED`` and a
save, each built by the ORM on every task: the same order, the same rows locked and
skipped, two statements instead of four and no query built per task (bench/README.md).
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import uuid
from typing import Any

from django.db import OperationalError, close_old_connections, connection, connections, router
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import is_locked_database_exception

from iktipet.core import rows
from iktipet.ops.periodic import enqueue_due

logger = logging.getLogger(__name__)


def beat(worker_id: str, started_at: Any) -> None:
    from iktipet.ops.models import WorkerHeartbeat

    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": now,
        },
    )


class Clock(threading.Thread):
    """Writes the heartbeat and enqueues due periodic jobs every ``interval`` seconds."""

    def __init__(self, worker_id: str, interval: float) -> None:
        super().__init__(name="iktipet-clock", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.stopped = threading.Event()
        self.started_at = timezone.now()

    def tick(self) -> None:
        close_old_connections()
        beat(self.worker_id, self.started_at)
        enqueue_due()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.tick()
            except Exception:
                logger.exception("worker clock tick failed")
            self.stopped.wait(self.interval)
        connection.close()


def _claim_sql(vendor: str, quote: Any) -> str | None:
    """``UPDATE … RETURNING id`` that marks the next ready task running, in the order of
    ``DBTaskResult.Meta.ordering`` (the partial index ``tasks_db_new_ordering_idx``)."""
    meta = DBTaskResult._meta
    table = quote(meta.db_table)
    status, started, workers, backend, run_after, priority, enqueued, pk = (
        quote(meta.get_field(name).column)  # type: ignore[union-attr]
        for name in (
            "status",
            "started_at",
            "worker_ids",
            "backend_name",
            "run_after",
            "priority",
            "enqueued_at",
            "id",
        )
    )
    if vendor == "postgresql":
        appended, lock = f"{workers} || jsonb_build_array(%s::text)", " FOR UPDATE SKIP LOCKED"
    elif vendor == "sqlite":
        # One statement: SQLite's write lock makes it atomic; there are no row locks.
        appended, lock = f"json_insert({workers}, '$[#]', %s)", ""
    else:
        return None
    return (
        f"UPDATE {table} SET {status} = 'RUNNING', {started} = %s, {workers} = {appended}"  # noqa: S608 (names from the model)
        f" WHERE {pk} = (SELECT {pk} FROM {table} WHERE {status} = 'READY'"
        f" AND {backend} = %s AND ({run_after} = %s OR {run_after} <= %s)"
        f" ORDER BY {priority} DESC, {run_after} ASC, {enqueued} ASC LIMIT 1{lock})"
        f" RETURNING {pk}"
    )


class ClaimingWorker(Worker):
    """django-tasks-db's worker with a one-statement claim (see the module's docstring);
    running a task and recording its outcome are the library's (``run_task``)."""

    def claim(self) -> DBTaskResult | None:
        db = router.db_for_write(DBTaskResult)
        conn = connections[db]
        sql = _claim_sql(conn.vendor, conn.ops.quote_name)
        if sql is None or not conn.features.can_return_columns_from_insert:
            return self._claim_as_the_library_does()
        now = timezone.now()
        adapt = conn.ops.adapt_datetimefield_value
        with conn.cursor() as cursor:
            cursor.execute(
                sql,
                [adapt(now), self.worker_id, self.backend_name, adapt(get_date_max()), adapt(now)],
            )
            row = cursor.fetchone()
        # The row as the library's claim leaves it, read with SQL compiled once.
        return None if row is None else rows.by_pk(DBTaskResult, row[0])

    def _claim_as_the_library_does(self) -> DBTaskResult | None:
        from django_tasks_db.utils import exclusive_transaction

        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        with exclusive_transaction(tasks.db):
            found = tasks.get_locked()
            if found is not None:
                found.claim(self.worker_id)
        return found

    def run(self) -> None:
        logger.info("worker %s started", self.worker_id)
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 - several workers do not start in step
        while self.running:
            close_old_connections()
            try:
                found = self.claim()
            except OperationalError as exc:
                if not is_locked_database_exception(exc):  # SQLite busy: try again
                    raise
                found, looked = None, False
            else:
                looked = True
            if found is not None:
                self.run_task(found)
            if self.batch and looked and found is None:
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            close_old_connections()
            if self.running and found is None:
                time.sleep(self.interval)


def run_worker(*, interval: float = 0.2, clock_interval: float = 10.0, batch: bool = False) -> None:
    worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    clock = Clock(worker_id, clock_interval)
    clock.tick()  # a fresh heartbeat before the first task
    if not batch:
        clock.start()
    worker = ClaimingWorker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=not batch,
        max_tasks=None,
        worker_id=worker_id[:64],
        excluded_queue_names=[],
    )
    if not batch:
        worker.configure_signals()
    try:
        worker.run()
    finally:
        clock.stopped.set()
