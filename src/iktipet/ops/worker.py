"""The task worker: django-tasks-db's worker plus a heartbeat and the periodic-job clock."""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker

from iktipet.ops.periodic import enqueue_due

logger = logging.getLogger(__name__)


def beat(worker_id: str, started_at: object) -> None:
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


def run_worker(*, interval: float = 0.2, clock_interval: float = 10.0, batch: bool = False) -> None:
    worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    clock = Clock(worker_id, clock_interval)
    clock.tick()  # a fresh heartbeat before the first task
    if not batch:
        clock.start()
    worker = Worker(
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
