"""Submit benchmark: POSTs to /soknad/<id>/send-inn/, each for its own complete draft.

Sets up a throw-away var dir and database (SQLite; a fresh PostgreSQL database with --pg),
publishes the one-step bench service, creates --drafts citizens, each logged in (session
written directly as the login leaves it) with one draft whose step was saved through the
engine's own ``save_step``, and starts `iktipet serve` on 127.0.0.1. Each citizen's real CSRF
token is fetched from its summary page; then --connections client threads POST the submits,
every draft exactly once. Success is the 302 to the receipt; anything else is an error. The
background work (the receipt notice) is only enqueued, unless --worker starts one
`iktipet worker` beside the server, as production runs: then the run waits until the queue is
empty and reports the worker's CPU per submit too, and the PSS of serve and of the worker.
--profile N submits N further drafts in-process (test client) under cProfile instead;
--sql prints the statements of one in-process submit.

    .venv/bin/python bench/bench_submit.py                      # SQLite, 1000 drafts
    .venv/bin/python bench/bench_submit.py --pg postgres://postgres@127.0.0.1:5432 --worker
    .venv/bin/python bench/bench_submit.py --pg postgres://postgres@127.0.0.1:5432 --profile 100

Bounded: --drafts requests (max 10000), each with a 30 s timeout; the run stops after
--max-seconds even if drafts are left.
"""

from __future__ import annotations

import argparse
import http.client
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _appbench import (
    CSRF_COOKIE,
    HOST,
    Citizen,
    Result,
    Workspace,
    common_arguments,
    loadavg,
    make_citizens,
    percentiles,
    report,
    request,
    served,
    session_cpu_seconds,
)
from bench_pages import serve_pss_mib
from bench_worker import start_workers, stop_workers

TARGET = "target ≥ 110 submissions/s (ten times Open Forms' ~11/s)"
_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_COOKIE = re.compile(rf"{CSRF_COOKIE}=([^;]+)")


def fetch_csrf(port: int, citizens: list[Citizen]) -> None:
    """Each citizen opens the summary page: the CSRF cookie and the form's token, as a
    browser has them when the submit button is pressed."""

    def one(citizen: Citizen) -> None:
        headers = {"Cookie": citizen.cookie(), "X-Forwarded-For": citizen.address}
        status, response_headers, body = request("GET", port, citizen.summary_path, headers)
        token = _TOKEN.search(body)
        cookie = _COOKIE.search(response_headers.get("set-cookie", ""))
        if (
            status != 200
            or token is None
            or cookie is None
            or citizen.submit_path.encode() not in body
        ):
            raise RuntimeError(f"GET {citizen.summary_path} answered {status} without the form")
        citizen.csrf_cookie = cookie.group(1)
        citizen.csrf_token = token.group(1).decode()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, citizens))


def submit_all(
    port: int, citizens: list[Citizen], connections: int, max_seconds: float
) -> tuple[list[float], list[str], float]:
    """POST every citizen's submit once over ``connections`` keep-alive connections.
    Returns the latencies (ms) of the successes, the errors, and the wall time."""
    pending = iter(citizens)
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + max_seconds

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                citizen = next(pending, None)
            if citizen is None:
                break
            body = urlencode({"csrfmiddlewaretoken": citizen.csrf_token})
            headers = {
                "Cookie": citizen.cookie(),
                "X-Forwarded-For": citizen.address,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            started = time.perf_counter()
            try:
                status, response_headers, _body = request(
                    "POST", port, citizen.submit_path, headers, body, connection
                )
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            elapsed = (time.perf_counter() - started) * 1000
            location = response_headers.get("location", "")
            with lock:
                if status == 302 and location.endswith("/kvittering/"):
                    latencies.append(elapsed)
                else:
                    errors.append(f"{status} {location}")
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - started


def drain(max_seconds: float) -> bool:
    """Wait until the worker has run every task the submits queued (not the periodic ones,
    which wait for their hour); False if it did not in time."""
    from django.db import connections
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).filter(
        Q(task_path__startswith="iktipet.applications.")
        | Q(task_path__startswith="iktipet.messaging.")
        | Q(task_path__startswith="iktipet.cases.")
    )

    deadline = time.monotonic() + max_seconds
    while time.monotonic() < deadline:
        connections.close_all()  # a fresh snapshot each round
        if not queued.exists():
            return True
        time.sleep(0.2)
    return False


def profile(citizens: list[Citizen]) -> None:
    """In-process: half the drafts submitted plain (timed), the other half under cProfile,
    through the test client and the whole middleware stack; prints the top costs."""
    import cProfile
    import pstats

    from django.conf import settings
    from django.test import Client

    # One client: a new one loads the middleware again, and WhiteNoise's __init__ walks the
    # static files (~40 ms), which a running server does once per process.
    client = Client(HTTP_HOST=HOST, REMOTE_ADDR=HOST)

    def run(batch: list[Citizen]) -> None:
        for citizen in batch:
            client.cookies.clear()
            client.cookies[settings.SESSION_COOKIE_NAME] = citizen.session_key
            response = client.post(citizen.submit_path, HTTP_X_FORWARDED_FOR=citizen.address)
            if response.status_code != 302 or not response["Location"].endswith("/kvittering/"):
                raise RuntimeError(f"in-process submit answered {response.status_code}")

    half = len(citizens) // 2
    run(citizens[:1])  # warm-up: caches, translations, templates
    started = time.process_time()
    run(citizens[1:half])
    plain = (time.process_time() - started) * 1000 / max(half - 1, 1)
    profiler = cProfile.Profile(time.process_time)  # CPU, not time spent waiting on the DB
    profiler.runcall(run, citizens[half:])
    print(f"\nsubmit: {plain:.2f} ms CPU per submit in-process (test client, no profiler)")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(50)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_callees("submit_application|open_case_for_application")


def show_sql(citizens: list[Citizen]) -> None:
    """In-process: the SQL statements of one submit (after a warm-up submit), in order."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST, REMOTE_ADDR=HOST)
    for citizen in citizens[:2]:
        client.cookies.clear()
        client.cookies[settings.SESSION_COOKIE_NAME] = citizen.session_key
        with CaptureQueriesContext(connection) as queries:
            response = client.post(citizen.submit_path, HTTP_X_FORWARDED_FOR=citizen.address)
        if response.status_code != 302:
            raise RuntimeError(f"in-process submit answered {response.status_code}")
    writes = 0
    for number, query in enumerate(queries.captured_queries, 1):
        sql = query["sql"]
        writes += sql.startswith(("INSERT", "UPDATE", "DELETE"))
        print(f"{number:3} {sql[:160]}")
    print(f"\nsubmit: {len(queries.captured_queries)} statements, {writes} writes")


def check_database(count: int) -> dict[str, int]:
    """What the database holds afterwards: submitted applications, their cases (numbered
    1…n without a gap or a duplicate), queued emails."""
    from django.db import connections
    from django.db.models import Count, Max
    from django_tasks_db.models import DBTaskResult

    from iktipet.applications.models import Application
    from iktipet.cases.models import Case
    from iktipet.messaging.models import Notification

    connections.close_all()
    notices = Notification.objects.filter(event="case.received")
    received = DBTaskResult.objects.filter(task_path="iktipet.cases.tasks.notify_received")
    sending = DBTaskResult.objects.filter(
        task_path="iktipet.messaging.tasks.send_notification"
    ).count()
    return {
        "submitted": Application.objects.filter(status=Application.Status.SUBMITTED).count(),
        "drafts_left": Application.objects.filter(status=Application.Status.DRAFT).count(),
        "cases": Case.objects.count(),
        "highest_case_number": Case.objects.aggregate(n=Max("sequence"))["n"] or 0,
        "duplicate_numbers": Case.objects.values("agency", "year", "sequence")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        # The receipt notice, which the internal case handling sends: the submit queues
        # cases' notify_received, which writes the notice and sends it (before 91d57c2: and
        # queues messaging's sending).
        "emails_queued": received.count()
        or sending,  # the tree before the notice moved: the sending, queued by the submit
        "notices_sent_queued": sending,
        # Written by the worker: one per case, none twice.
        "notices_written": notices.count(),
        "cases_noticed_twice": notices.values("link_path")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        "expected": count,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=1000, help="complete drafts (= POSTs)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent clients")
    parser.add_argument("--max-seconds", type=float, default=60, help="stop the run after this")
    parser.add_argument(
        "--worker", action="store_true", help="run one `iktipet worker` beside the server"
    )
    parser.add_argument(
        "--profile", type=int, metavar="N", help="instead: N in-process submits under cProfile"
    )
    parser.add_argument(
        "--sql", action="store_true", help="instead: print the statements of one submit"
    )
    common_arguments(parser)
    args = parser.parse_args()
    count = max(1, min(args.drafts, 10_000))
    connections = max(1, min(args.connections, 256))

    workspace = Workspace(args.pg, "bench-submit")
    results: list[Result] = []
    try:
        print(f"Preparing {workspace.database} in {workspace.dir} …", flush=True)
        workspace.prepare()
        workspace.django()
        started = time.monotonic()
        if args.sql:
            show_sql(make_citizens(2, complete=True))
            return
        if args.profile:
            profile(make_citizens(max(4, min(args.profile, 2000)), complete=True))
            return
        citizens = make_citizens(count, complete=True)
        print(f"{count} complete drafts in {time.monotonic() - started:.0f} s", flush=True)
        from django.db import connections as db_connections

        db_connections.close_all()
        workers = start_workers(workspace, 1) if args.worker else []
        sessions = {worker.pid for worker in workers}
        memory: dict[str, float] = {}
        drained = True
        try:
            with served(workspace) as server:
                fetch_csrf(server.port, citizens)
                before, cpu_before = loadavg(), server.cpu_seconds()
                worker_before = session_cpu_seconds(sessions)
                latencies, errors, seconds = submit_all(
                    server.port, citizens, connections, args.max_seconds
                )
                after, cpu = loadavg(), server.cpu_seconds() - cpu_before
                if workers:
                    drained = drain(args.max_seconds)
                worker_cpu = session_cpu_seconds(sessions) - worker_before
                memory["serve_pss_mib"] = serve_pss_mib(server.process.pid)
                if workers:
                    memory["worker_pss_mib"] = serve_pss_mib(workers[0].pid)
                    memory["total_pss_mib"] = round(sum(memory.values()), 1)
        finally:
            stop_workers(workers)
        stored = check_database(count)
        p50, p99 = percentiles(latencies)
        done = len(latencies)
        per_request = max(done + len(errors), 1)
        extra: dict[str, object] = {
            "server_cpu_ms_per_request": round(cpu * 1000 / per_request, 2),
        }
        if workers:
            extra["worker_cpu_ms_per_submit"] = round(worker_cpu * 1000 / per_request, 2)
            extra["queue_drained"] = drained
        extra.update(memory)
        result = Result(
            scenario=f"POST submit, {connections} conn" + (", 1 worker" if workers else ""),
            database=workspace.database,
            rate_per_s=round(done / seconds, 1),
            p50_ms=p50,
            p99_ms=p99,
            errors=len(errors),
            count=done,
            seconds=round(seconds, 2),
            concurrency=connections,
            load_before=before,
            load_after=after,
            extra={**extra, "database": stored, "first_errors": errors[:5]},
        )
        results.append(result)
        print(
            f"{result.scenario}: {result.rate_per_s:.1f} submissions/s  p50 {p50} ms  p99 {p99}"
            f" ms  errors {len(errors)}  server CPU"
            f" {extra['server_cpu_ms_per_request']} ms/submit  load {before}→{after}",
            flush=True,
        )
        if workers:
            print(
                f"worker CPU {extra['worker_cpu_ms_per_submit']} ms/submit"
                f"  queue drained: {drained}",
                flush=True,
            )
        print(f"PSS after the run (MiB): {memory}", flush=True)
        print(f"database afterwards: {stored}")
        if errors:
            print("first errors:", *errors[:5], sep="\n  ")
        if (
            len({stored["submitted"], stored["emails_queued"], stored["cases"], done}) != 1
            or stored["highest_case_number"] != done
            or stored["duplicate_numbers"]
            or (workers and drained and stored["notices_written"] != done)
            or stored["cases_noticed_twice"]
        ):
            print("MISMATCH: the database does not hold what the responses said", flush=True)
    finally:
        workspace.close(args.keep)
    report(results, args.json, TARGET)


if __name__ == "__main__":
    main()
