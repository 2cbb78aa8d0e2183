"""Background-work benchmark: what a submit enqueues, run by 1 and 2 `iktipet worker`s.

Sets up a throw-away var dir and database (SQLite; a fresh PostgreSQL database with --pg),
creates --submissions complete drafts per round and submits them in-process through
``submit_application``, which enqueues exactly what a real submit enqueues (the case
handling's receipt notice: the contact register decides email, SMS or a printed letter; the
bench's synthetic citizens are not in it, so each gets a letter in the print queue). The
tasks are held back (run_after in the far future) while the workers start; once every worker
has written its heartbeat the round's tasks are released in one UPDATE and the clock runs
until none is left ready or running.

Rounds: 1 and 2 workers on what a submit enqueues; then 1 and 2 workers with the receipt PDF
rendered in the worker as well (bench/_bench_tasks.py), the alternative rejected by this
measurement: the platform renders the receipt on first download (ARCHITECTURE.md §2).

    .venv/bin/python bench/bench_worker.py                      # SQLite, 200 per round
    .venv/bin/python bench/bench_worker.py --pg postgres://postgres@127.0.0.1:5432

--profile N instead submits N in-process and runs their tasks in this process (the
worker's loop in batch mode), half timed plainly and half under cProfile: the worker's CPU
and SQL statements per submit, and where they go.

Bounded: --submissions per round (max 2000); each round stops after --max-seconds.
"""

from __future__ import annotations

import argparse
import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db.models import Q

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _appbench import (
    BIN,
    ROOT,
    Result,
    Workspace,
    common_arguments,
    loadavg,
    make_citizens,
    percentiles,
    report,
    session_cpu_seconds,
)

TARGET = "target ≥ 16 background completions/s (ten times Open Forms' ~1.6/s)"
HELD = datetime.datetime(9000, 1, 1, tzinfo=datetime.UTC)


def submit_round(count: int, first_index: int, with_receipt: bool) -> list[str]:
    """``count`` submissions; their tasks are held back. Returns the held tasks' ids."""
    from _bench_tasks import render_receipt
    from django.db import transaction
    from django.utils import translation
    from django_tasks_db.models import DBTaskResult, get_date_max

    from iktipet.accounts.models import User
    from iktipet.accounts.parties import for_self
    from iktipet.applications import services
    from iktipet.applications.models import Application
    from iktipet.core.tasks import enqueue

    citizens = make_citizens(count, complete=True, first_index=first_index)
    with translation.override("nb"):
        for citizen in citizens:
            user = User.objects.get(pk=citizen.user_id)
            application = Application.objects.select_related("service_version").get(
                pk=citizen.application_id
            )
            party = for_self(user)
            services.submit_application(application, user=user, party=party)
    if with_receipt:
        with transaction.atomic():
            for citizen in citizens:
                enqueue(render_receipt, citizen.application_id)
    fresh = DBTaskResult.objects.filter(status="READY", run_after=get_date_max()).filter(
        Q(task_path__startswith="iktipet.applications.tasks.")
        | Q(task_path__startswith="iktipet.messaging.tasks.")
        | Q(task_path__startswith="iktipet.cases.tasks.")
        | Q(task_path__startswith="_bench_tasks.")
    )
    ids = [str(pk) for pk in fresh.values_list("pk", flat=True)]
    DBTaskResult.objects.filter(pk__in=ids).update(run_after=HELD)
    if len(ids) < count * (2 if with_receipt else 1):
        raise RuntimeError(f"too few queued tasks for {count} submissions: {len(ids)}")
    return ids


def start_workers(workspace: Workspace, count: int) -> list[subprocess.Popen[bytes]]:
    from iktipet.ops.models import WorkerHeartbeat

    workers = [
        subprocess.Popen(
            [str(BIN / "iktipet"), "worker"], env=workspace.env, cwd=ROOT, start_new_session=True
        )
        for _ in range(count)
    ]
    pids = {worker.pid for worker in workers}
    deadline = time.monotonic() + 90
    while WorkerHeartbeat.objects.filter(pid__in=pids).count() < count:
        if any(worker.poll() is not None for worker in workers):
            raise RuntimeError("a worker exited during start-up")
        if time.monotonic() > deadline:
            raise RuntimeError("the workers wrote no heartbeat in time")
        time.sleep(0.2)
    time.sleep(1.2)  # past the worker's random start-up delay (up to 1 s)
    return workers


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        try:
            os.killpg(worker.pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def run_round(
    workspace: Workspace,
    scenario: str,
    workers_count: int,
    ids: list[str],
    submissions: int,
    max_seconds: float,
) -> Result:
    from django.db import close_old_connections
    from django_tasks_db.models import DBTaskResult, get_date_max

    tasks = DBTaskResult.objects.filter(pk__in=ids)
    workers = start_workers(workspace, workers_count)
    try:
        pids = {worker.pid for worker in workers}
        before, cpu_before = loadavg(), session_cpu_seconds(pids)
        released_at = time.monotonic()
        tasks.update(run_after=get_date_max())
        deadline = released_at + max_seconds
        while tasks.filter(status__in=("READY", "RUNNING")).exists():
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
            close_old_connections()
        seconds = time.monotonic() - released_at
        after, cpu = loadavg(), session_cpu_seconds(pids) - cpu_before
    finally:
        stop_workers(workers)
    rows = list(tasks.values_list("task_path", "status", "started_at", "finished_at"))
    done = [r for r in rows if r[1] == "SUCCESSFUL"]
    durations: dict[str, list[float]] = {}
    for path, _status, started, finished in done:
        name = path.rsplit(".", 1)[-1]
        durations.setdefault(name, []).append((finished - started).total_seconds() * 1000)
    every = sorted(ms for values in durations.values() for ms in values)
    p50, p99 = percentiles(every)
    unfinished = sum(1 for r in rows if r[1] in ("READY", "RUNNING"))
    failed = sum(1 for r in rows if r[1] == "FAILED")
    completed = submissions if not unfinished and not failed else 0
    per_task = {
        name: {"count": len(values), "p50_ms": percentiles(sorted(values))[0]}
        for name, values in durations.items()
    }
    result = Result(
        scenario=scenario,
        database=workspace.database,
        rate_per_s=round(completed / seconds, 1) if completed else 0.0,
        p50_ms=p50,
        p99_ms=p99,
        errors=failed + unfinished,
        count=len(done),
        seconds=round(seconds, 2),
        concurrency=workers_count,
        load_before=before,
        load_after=after,
        extra={
            "tasks_per_s": round(len(done) / seconds, 1),
            # The workers' CPU per submission: its cost whatever else the machine is doing.
            "server_cpu_ms_per_request": round(cpu * 1000 / submissions, 2),
            "per_task_run_time": per_task,
            "failed": failed,
            "unfinished": unfinished,
        },
    )
    print(
        f"{scenario}: {result.rate_per_s} submissions' background work/s"
        f" ({result.extra['tasks_per_s']} tasks/s) in {seconds:.1f} s; task run time p50"
        f" {p50} ms p99 {p99} ms; per task {per_task}; failed {failed}, unfinished"
        f" {unfinished}; load {before}→{after}",
        flush=True,
    )
    return result


def profile(count: int) -> None:
    """The worker's loop in this process over the tasks of ``count`` in-process submits:
    CPU and statements per submit without the profiler (first half), then under cProfile."""
    import cProfile
    import pstats

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from iktipet.ops.worker import run_worker

    def drain(ids: list[str]) -> None:
        from django_tasks_db.models import DBTaskResult, get_date_max

        DBTaskResult.objects.filter(pk__in=ids).update(run_after=get_date_max())
        run_worker(batch=True)

    half = max(1, count // 2)
    warm, timed, profiled = (
        submit_round(n, i, False) for n, i in ((2, 0), (half, 2), (half, 3 * half))
    )
    drain(warm)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        started = time.process_time()
        drain(timed)
        cpu = time.process_time() - started
    statements = [q["sql"] for q in queries.captured_queries]
    print(
        f"worker: {cpu * 1000 / half:.2f} ms CPU and {len(statements) / half:.1f} statements"
        f" per submit in-process ({half} submits; batch worker, no profiler)"
    )
    # The last submit's (the first ones are the clock's: heartbeat, periodic jobs).
    for sql in statements[-(len(statements) // half + 2) :]:
        print("   ", sql[:150])
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(drain, profiled)
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=200, help="per round")
    parser.add_argument("--max-seconds", type=float, default=180, help="per round")
    parser.add_argument(
        "--profile", type=int, metavar="N", help="instead: N in-process submits' tasks profiled"
    )
    common_arguments(parser)
    args = parser.parse_args()
    if args.profile:
        workspace = Workspace(args.pg, "bench-worker")
        try:
            workspace.prepare()
            workspace.django()
            profile(max(4, min(args.profile, 2000)))
        finally:
            workspace.close(args.keep)
        return
    count = max(1, min(args.submissions, 2000))
    rounds = [
        ("1 worker: what a submit enqueues", 1, False),
        ("2 workers: what a submit enqueues", 2, False),
        ("1 worker: + receipt PDF in the worker (rejected)", 1, True),
        ("2 workers: + receipt PDF in the worker (rejected)", 2, True),
    ]

    workspace = Workspace(args.pg, "bench-worker")
    results: list[Result] = []
    try:
        print(f"Preparing {workspace.database} in {workspace.dir} …", flush=True)
        workspace.prepare()
        workspace.django()
        held = []
        for number, (_name, _workers, with_receipt) in enumerate(rounds):
            held.append(submit_round(count, number * count, with_receipt))
        print(f"{len(rounds)} × {count} submissions made; their tasks are held", flush=True)
        for (name, workers_count, _with_receipt), ids in zip(rounds, held, strict=True):
            results.append(run_round(workspace, name, workers_count, ids, count, args.max_seconds))
        from django.db.models import Count

        from iktipet.messaging.models import Notification

        done = dict(Notification.objects.values_list("status").annotate(n=Count("id")))
        print(f"receipt notices by status: {done} (expected {len(rounds) * count} in all)")
    finally:
        workspace.close(args.keep)
    report(
        results,
        args.json,
        TARGET + "; rate = submissions whose background work finished per second; CPU column"
        " = the workers' CPU per submission; p50/p99 = run time of one task",
    )


if __name__ == "__main__":
    main()
