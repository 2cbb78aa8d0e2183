"""Periodic jobs: due jobs are enqueued once per interval, however many workers ask."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from iktipet.ops import periodic
from iktipet.ops.jobs import purge_expired_sessions
from iktipet.ops.models import PeriodicJob

pytestmark = pytest.mark.django_db

PROBE = "probe_job"


@pytest.fixture
def probe_schedule(monkeypatch):
    """One schedule only, so the platform's own jobs do not muddle the counts."""
    from iktipet.core.hooks import Hooks

    schedule = periodic.Schedule(PROBE, timedelta(hours=1), purge_expired_sessions)
    only_the_probe: Hooks[periodic.Schedule] = Hooks("periodic job")
    only_the_probe.add(PROBE, schedule)
    monkeypatch.setattr(periodic, "schedule_hooks", only_the_probe)
    return schedule


def enqueued() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="purge_expired_sessions").count()


def test_the_platform_registers_the_session_purge():
    schedule = periodic.schedules()["purge_expired_sessions"]
    assert schedule.every == timedelta(hours=1)
    assert schedule.task is purge_expired_sessions


def test_called_twice_the_job_is_claimed_once(probe_schedule):
    now = timezone.now()
    assert periodic.enqueue_due(now) == [PROBE]
    assert periodic.enqueue_due(now) == []
    assert periodic.enqueue_due(now + timedelta(minutes=59)) == []
    assert enqueued() == 1
    job = PeriodicJob.objects.get(name=PROBE)
    assert job.next_run_at == now + timedelta(hours=1)
    assert job.last_run_at == now


def test_due_again_after_the_interval(probe_schedule):
    now = timezone.now()
    periodic.enqueue_due(now)
    assert periodic.enqueue_due(now + timedelta(hours=1)) == [PROBE]
    assert enqueued() == 2


def test_a_worker_that_read_a_stale_schedule_loses_the_claim(probe_schedule, monkeypatch):
    """Two workers read the job as due; the second one's conditional update finds nothing."""
    now = timezone.now()
    real_get_or_create = PeriodicJob.objects.get_or_create
    other_worker: list[list[str]] = []
    raced = []

    def get_or_create_then_race(**kwargs):
        job, created = real_get_or_create(**kwargs)
        if not raced:
            raced.append(True)
            other_worker.append(periodic.enqueue_due(now))  # runs between read and claim
        return job, created

    monkeypatch.setattr(PeriodicJob.objects, "get_or_create", get_or_create_then_race)
    assert periodic.enqueue_due(now) == []
    assert other_worker == [[PROBE]]
    assert enqueued() == 1
