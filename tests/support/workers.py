"""A real `iktipet worker` beside a test: the test database shared with it, and the
workers started, waited on and stopped. Every wait is on a condition with a deadline.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEADLINE = 20.0  # seconds any one condition may take on a loaded machine


@contextmanager
def shared_database(tmp_path: Path) -> Iterator[str]:
    """A URL of the test database that another process can open, and this process's
    connection on it for as long as the context lasts."""
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "postgresql":
        parts = urlsplit(settings.DATABASE_URL)
        yield urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))
        return
    if not connection.is_in_memory_db():
        yield f"sqlite:///{connection.settings_dict['NAME']}"
        return
    # The migrated in-memory database, copied to a file that this process then works on
    # too; the in-memory one is put back (unchanged) afterwards for pytest-django to flush.
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    memory, name = connection.connection, connection.settings_dict["NAME"]
    with sqlite3.connect(path) as copy:
        memory.backup(copy)
    copy.close()
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


def wait_until(condition: Callable[[], bool], what: str, worker: subprocess.Popen) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert worker.poll() is None, f"the worker stopped ({worker.returncode}) before {what}"
        assert time.monotonic() < deadline, f"no {what} within {DEADLINE} s"
        time.sleep(0.05)  # polling interval of the condition, not a synchronisation


class Workers:
    """`iktipet worker` processes, as `make demo` starts them, on the shared database."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs, self.started = env, logs, []

    def start(self, **extra_env: str) -> subprocess.Popen:
        log = (self.logs / f"worker-{len(self.started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "iktipet", "worker"],
            env={**self.env, **extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
        for process in self.started:
            try:
                process.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
