"""`iktipet worker`: heartbeat, the periodic clock, and the session purge it runs."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from iktipet.accounts.models import Session
from iktipet.core.sessions.db import SessionStore
from iktipet.core.tasks import enqueue
from iktipet.ops.jobs import purge_expired_sessions
from iktipet.ops.models import PeriodicJob, WorkerHeartbeat
from iktipet.ops.worker import run_worker


def make_session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["marker"] = "x"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )
    return store.session_key


@pytest.mark.django_db(transaction=True)
def test_worker_beats_and_makes_readyz_ready(client):
    assert client.get("/readyz").status_code == 503
    run_worker(batch=True)
    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.pid > 0
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_worker_enqueues_and_runs_the_due_session_purge():
    expired = make_session(timedelta(minutes=-5))
    live = make_session(timedelta(hours=1))

    run_worker(batch=True)

    assert not Session.objects.filter(session_key=expired).exists()
    assert Session.objects.filter(session_key=live).exists()
    job = PeriodicJob.objects.get(name="purge_expired_sessions")
    assert job.next_run_at > timezone.now() + timedelta(minutes=59)
    result = DBTaskResult.objects.get(task_path__endswith="purge_expired_sessions")
    assert (result.status, result.return_value) == ("SUCCESSFUL", 1)

    # A second worker run within the hour does not purge again.
    run_worker(batch=True)
    assert DBTaskResult.objects.filter(task_path__endswith="purge_expired_sessions").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failing_task_is_recorded_and_does_not_stop_the_worker():
    enqueue(purge_expired_sessions, "unexpected argument")
    enqueue(purge_expired_sessions)
    run_worker(batch=True)
    statuses = sorted(
        DBTaskResult.objects.filter(task_path__endswith="purge_expired_sessions").values_list(
            "status", flat=True
        )
    )
    # Two enqueued by hand plus the periodic one.
    assert statuses == ["FAILED", "SUCCESSFUL", "SUCCESSFUL"]


def test_worker_command_in_batch_mode(subprocess_env, tmp_path):
    env = {**subprocess_env, "IKTIPET_DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite3'}"}
    run = {"env": env, "capture_output": True, "text": True, "timeout": 180}
    migrate = subprocess.run([sys.executable, "-m", "iktipet", "migrate", "--no-input"], **run)
    assert migrate.returncode == 0, migrate.stderr
    worker = subprocess.run([sys.executable, "-m", "iktipet", "worker", "--batch"], **run)
    assert worker.returncode == 0, worker.stderr
    check = subprocess.run(
        [
            sys.executable,
            "-m",
            "iktipet",
            "shell",
            "-c",
            "from iktipet.ops.models import WorkerHeartbeat as W; print(W.objects.count())",
        ],
        **run,
    )
    assert check.stdout.strip().splitlines()[-1] == "1", check.stderr


@pytest.mark.django_db(transaction=True)
def test_the_worker_claims_tasks_in_the_librarys_order_and_leaves_later_ones():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from iktipet.ops.worker import ClaimingWorker

    run_worker(batch=True)  # the periodic jobs out of the way
    later = enqueue(purge_expired_sessions.using(run_after=timezone.now() + timedelta(hours=1)))
    low = enqueue(purge_expired_sessions.using(priority=-5))
    high = enqueue(purge_expired_sessions.using(priority=5))
    plain = enqueue(purge_expired_sessions)
    worker = ClaimingWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="w-1",
        excluded_queue_names=[],
    )
    with CaptureQueriesContext(connection) as queries:
        claimed = worker.claim()
    # One UPDATE … RETURNING and the row read back: no transaction, no SELECT … FOR UPDATE.
    assert len(queries) == 2 and "RETURNING" in queries[0]["sql"]
    assert (str(claimed.pk), claimed.status, claimed.worker_ids) == (high.id, "RUNNING", ["w-1"])
    assert claimed.started_at is not None
    worker.run_task(claimed)
    worker.run()
    done = dict(DBTaskResult.objects.values_list("id", "status"))
    ran = sorted(
        DBTaskResult.objects.filter(pk__in=[high.id, plain.id, low.id]).values_list(
            "started_at", "id"
        )
    )
    assert [str(pk) for _at, pk in ran] == [high.id, plain.id, low.id]
    assert {done[pk] for _at, pk in ran} == {"SUCCESSFUL"}
    assert DBTaskResult.objects.get(pk=later.id).status == "READY"  # not due yet
