"""The last seat under contention: N people take it at once, exactly one gets it — on
PostgreSQL (threads on the test database) and on SQLite (threads on a database file in a
subprocess, since the suite's in-memory SQLite is not shared the way a file is)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection

from iktipet.accounts.models import User
from iktipet.booking.models import Reservation, Slot
from support.booking import CONTENTION_SCRIPT, contend, make_resource

TESTS = Path(__file__).resolve().parents[1]
NOW = datetime(2027, 2, 8, 6, 0, tzinfo=UTC)
NINE = datetime(2027, 2, 8, 9, 0, tzinfo=UTC)  # 10:00 in Oslo


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own run")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("capacity", [1, 3])
def test_concurrent_takers_on_postgresql_get_exactly_the_capacity(agencies, capacity):
    resource = make_resource(agencies["bymiljoetaten"], capacity=capacity)
    users = [User.objects.create(username=f"taker-{i}") for i in range(16)]
    held, full, errors = contend(resource, users, NINE, NOW)
    assert errors == []
    assert len(held) == capacity and len(full) == 16 - capacity
    assert Slot.objects.get(resource=resource, starts_at=NINE).taken == capacity
    assert Reservation.objects.filter(status=Reservation.Status.HELD).count() == capacity


@pytest.mark.parametrize("capacity", [1])
def test_concurrent_takers_on_sqlite_get_exactly_the_capacity(subprocess_env, tmp_path, capacity):
    env = {
        **subprocess_env,
        "IKTIPET_DATABASE_URL": f"sqlite:///{tmp_path / 'contention.sqlite3'}",
        "PYTHONPATH": str(TESTS),
    }
    result = subprocess.run(
        [sys.executable, "-c", CONTENTION_SCRIPT, "12", str(capacity)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"held": capacity, "full": 12 - capacity, "errors": [], "taken": capacity}
