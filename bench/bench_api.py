"""The integration API's case list at 100 000 cases: p50/p95/p99 and CPU per shape, with and
without the ``changed_since`` index, on PostgreSQL or SQLite.

Loads (once) synthetic cases into a dedicated database — PostgreSQL with bench_inbox's
loader, SQLite with the same distribution from Python — and spreads ``updated_at`` over each
case's life (the loaders write "now"), so ``changed_since`` selects what a back office polling
it would. Registers an API client for all four agencies and times GET /api/v1/cases through
Django's test client: the whole request (middleware, the bearer token checked against the
issuer's cached JWKS, the rate limit, the queries, serialisation and the audit row).

    .venv/bin/python bench/bench_api.py                                  # PostgreSQL
    .venv/bin/python bench/bench_api.py --url sqlite:////tmp/bench_api.sqlite3
    .venv/bin/python bench/bench_api.py --index both --rounds 4 --explain

``--index both`` drops and re-creates ``case_changed_since`` between interleaved rounds, so
both states see the same load. Besides wall time it prints the request's CPU time in this
process (on SQLite that includes the database's work; on PostgreSQL the server's is in the
wall and SQL columns only): on a shared, loaded machine the wall figures mostly measure the
queue for the CPU. Bounded: timing stops after --seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_inbox

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/iktipet_h5_bench_api"
ORGNR = "999000777"
INDEX = "case_changed_since"
#: A case changes while it is handled: its last change falls within its life, never later.
SPREAD_SQL = {
    "postgresql": """
        UPDATE cases_case SET updated_at = LEAST(
            COALESCE(closed_at, decided_at, received_at + random() * interval '20 days'),
            received_at + random() * (now() - received_at))
        WHERE service_id LIKE 'bench-%'""",
    "sqlite": """
        UPDATE cases_case SET updated_at = strftime('%Y-%m-%d %H:%M:%f', MIN(
            julianday(COALESCE(closed_at, decided_at, received_at)) + abs(random() % 20),
            julianday(received_at) + (abs(random()) / 9223372036854775807.0)
                * (julianday('now') - julianday(received_at))))
        WHERE service_id LIKE 'bench-%'""",
}


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def _load_sqlite(count: int, workers: list, applicants: list) -> None:
    """bench_inbox's distribution (four agencies, ten services, three years, mostly closed),
    generated here: SQLite has no generate_series worth the name."""
    from django.db import connection, transaction

    from iktipet.cases.models import Case
    from iktipet.core.models import Agency

    existing = Case.objects.filter(service_id__startswith=bench_inbox.BENCH_PREFIX).count()
    if existing >= count:
        print(f"reusing {existing:,} loaded cases")
        return
    started = time.perf_counter()
    agency_ids = dict(Agency.objects.values_list("slug", "pk"))
    rng = random.Random(15)
    now = dt.datetime.now(dt.UTC)
    rows = []
    for i in range(1, count + 1):
        service_id, title, slug, workflow = bench_inbox.SERVICES[i % len(bench_inbox.SERVICES)]
        received = now - dt.timedelta(days=rng.random() * 1095)
        closed = rng.random() > (0.6 if received > now - dt.timedelta(days=120) else 0.004)
        r2 = rng.random()
        status = (
            "closed"
            if closed
            else "received"
            if r2 < 0.30
            else "under_review"
            if r2 < 0.65
            else "waiting_for_applicant"
            if r2 < 0.78
            else "hearing"
            if r2 < 0.88 and workflow == "skjenkebevilling"
            else "decided"
        )
        name = (
            f"{bench_inbox.GIVEN[i * 7 % len(bench_inbox.GIVEN)]} "
            f"{bench_inbox.FAMILY[i * 13 % len(bench_inbox.FAMILY)]}-Test"
        )
        assigned = (not closed and rng.random() < 0.45) or (closed and rng.random() < 0.97)
        decided = received + dt.timedelta(days=25) if closed or status == "decided" else None
        rows.append(
            [
                uuid.uuid4().hex,
                agency_ids[slug],
                received.year,
                0,  # the sequence, numbered below per agency and year
                "application",
                service_id,
                title,
                workflow,
                status,
                not closed,
                applicants[i % len(applicants)].pk,
                "person",
                "",
                name,
                name.lower(),
                workers[i % len(workers)].pk if assigned else None,
                received,
                (received + dt.timedelta(days=30)).date(),
                decided,
                received + dt.timedelta(days=30) if closed else None,
                now,
            ]
        )
    rows.sort(key=lambda row: (row[1], row[2], row[16]))
    sequence: dict[tuple[int, int], int] = {}
    for row in rows:
        key = (row[1], row[2])
        sequence[key] = row[3] = sequence.get(key, 0) + 1
        for at in (16, 18, 19, 20):
            row[at] = row[at].isoformat(sep=" ").replace("+00:00", "") if row[at] else None
        row[17] = row[17].isoformat()
    columns = (
        "id, agency_id, year, sequence, kind, service_id, title, workflow, status, is_open,"
        " applicant_id, party_kind, party_identifier, party_name, search_name, assignee_id,"
        " received_at, due_date, decided_at, closed_at, updated_at"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_case WHERE service_id LIKE 'bench-%'")
        cursor.executemany(
            f"INSERT INTO cases_case ({columns}) VALUES ({', '.join(['%s'] * len(rows[0]))})",
            rows,
        )
    print(f"loaded {count:,} cases in {time.perf_counter() - started:.0f} s")


def _spread_updated_at() -> None:
    """Once: the loaders stamp every case "now"; spread each over its life, then analyse."""
    from django.db import connection
    from django.db.models import Max, Min

    from iktipet.cases.models import Case

    span = Case.objects.aggregate(low=Min("updated_at"), high=Max("updated_at"))
    if span["high"] - span["low"] < dt.timedelta(days=1):
        with connection.cursor() as cursor:
            cursor.execute(SPREAD_SQL[connection.vendor])
        print("spread updated_at over each case's life")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE cases_case")
        else:
            # As a deployment has it: nothing runs ANALYZE on SQLite, and statistics for
            # some indexes but not a newer one make SQLite prefer the newer one everywhere.
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone():
                cursor.execute("DELETE FROM sqlite_stat1")
    connection.close()


def _set_index(present: bool) -> None:
    """Create or drop ``case_changed_since`` as its migration defines it."""
    from django.db import connection

    from iktipet.cases.models import Case

    index = next(i for i in Case._meta.indexes if i.name == INDEX)
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, Case._meta.db_table)
    if (INDEX in names) == present:
        return
    with connection.schema_editor() as editor:
        (editor.add_index if present else editor.remove_index)(Case, index)
    if present and connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the visibility map, for index-only scans
            cursor.execute("VACUUM cases_case")


def _client_and_token():
    from django.conf import settings
    from django.core.cache import cache

    from iktipet.core.models import Agency
    from iktipet.integrations.auth.jwks import trusted_issuers
    from iktipet.integrations.models import SCOPES, ApiClient
    from iktipet.integrations.services import ensure_service_user, sync_service_roles
    from iktipet.testid.keys import public_jwks, sign

    client, _ = ApiClient.objects.update_or_create(
        orgnr=ORGNR, defaults={"name": "Bench", "scopes": list(SCOPES)}
    )
    client.agencies.set(Agency.objects.all())
    ensure_service_user(client)
    sync_service_roles(client)
    issuer = trusted_issuers()[-1]
    cache.set(f"api-issuer-meta:{issuer}", {"issuer": issuer, "jwks_uri": "x"}, 3600)
    cache.set(f"api-issuer-jwks:{issuer}", public_jwks(), 3600)
    now = int(time.time())
    token = sign(
        {
            "iss": issuer,
            "aud": settings.API_AUDIENCE,
            "scope": " ".join(SCOPES),
            "consumer": {"authority": "iso6523-actorid-upis", "ID": f"0192:{ORGNR}"},
            "iat": now,
            "exp": now + 3000,
            "jti": "bench",
        }
    )
    return token


def _shapes(http) -> list[tuple[str, dict]]:
    from iktipet.cases.models import Case

    newest = Case.objects.order_by("-updated_at").values_list("updated_at", flat=True)
    recent, month = newest[500], newest[5000]
    first = http.get("/api/v1/cases", {"limit": 50}).json()["next_cursor"]
    changed = {"changed_since": month.isoformat(), "limit": 50}
    changed_next = http.get("/api/v1/cases", changed).json()["next_cursor"]
    return [
        ("first page (50)", {"limit": 50}),
        ("second page (cursor)", {"limit": 50, "cursor": first}),
        ("status=under_review", {"status": "under_review", "limit": 50}),
        ("service=bench-byggesak", {"service": "bench-byggesak", "limit": 50}),
        ("changed_since (500 newest)", {"changed_since": recent.isoformat(), "limit": 50}),
        ("changed_since (5 000 newest)", changed),
        ("… its second page", {**changed, "cursor": changed_next}),
        ("limit=200", {"limit": 200}),
    ]


def _explain(http, params: dict) -> None:
    """The plan of the first key query of the request (one per agency; they are alike)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        http.get("/api/v1/cases", params)
    key = next(
        q["sql"] for q in queries.captured_queries if '"cases_case"."received_at" AS' in q["sql"]
    )
    print(f"-- {key}")
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN (ANALYZE) "
    with connection.cursor() as cursor:
        cursor.execute(prefix + key.replace("%", "%%"))
        for row in cursor.fetchall():
            print("   ", " ".join(str(c) for c in row))


def _time(http, params: dict, runs: int) -> tuple[list[float], list[float], list[float]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, cpu, sql = [], [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.thread_time()
        connection.queries_log.clear()  # the log keeps 9000 queries; it would overflow
        with CaptureQueriesContext(connection) as queries:
            response = http.get("/api/v1/cases", params)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
        assert response.status_code == 200, response.content[:300]
    return timings, cpu, sql


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("IKTIPET_BENCH_API_URL", DEFAULT_URL))
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200, help="timings per shape and state")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds")
    parser.add_argument("--index", choices=("with", "without", "both"), default="both")
    parser.add_argument("--explain", action="store_true", help="print the changed_since plans")
    parser.add_argument("--seconds", type=float, default=600)
    args = parser.parse_args()

    os.environ["IKTIPET_TESTID"] = "1"
    os.environ["IKTIPET_API_RATE_LIMIT"] = "1000000"
    os.environ.setdefault("IKTIPET_LOG_LEVEL", "WARNING")
    if not _is_sqlite(args.url):
        bench_inbox._prepare_database(args.url)
    bench_inbox._setup_django(args.url)
    workers, applicants = bench_inbox._actors()
    if _is_sqlite(args.url):
        _load_sqlite(args.cases, workers, applicants)
    else:
        bench_inbox._load(args.cases, workers, applicants, reload=False)
    _spread_updated_at()

    from django.db import connection
    from django.test import Client

    from iktipet.cases.models import Case

    token = _client_and_token()
    http = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="127.0.0.1")
    assert http.get("/api/v1/cases", {"limit": 50}).status_code == 200
    shapes = _shapes(http)
    states = {"with": [True], "without": [False], "both": [True, False]}[args.index]
    if args.explain:
        for present in states:
            _set_index(present)
            print(f"== {'with' if present else 'without'} {INDEX}")
            for name, params in [shapes[0], *shapes[4:7]]:
                print(f"{name}:")
                _explain(http, params)
    found = {(present, name): ([], [], []) for present in states for name, _ in shapes}
    load = [os.getloadavg()[0]]
    deadline = time.monotonic() + args.seconds
    per_round = max(1, args.runs // args.rounds)
    for round_ in range(args.rounds):
        for present in states if round_ % 2 == 0 else states[::-1]:
            _set_index(present)
            for name, params in shapes:
                if time.monotonic() > deadline:
                    break
                for kept, new in zip(
                    found[present, name], _time(http, params, per_round), strict=True
                ):
                    kept.extend(new)
        load.append(os.getloadavg()[0])
    _set_index(True)  # as the migration leaves it

    vendor = connection.vendor
    print(f"{Case.objects.count():,} cases on {vendor}; {args.runs} runs per shape and state")
    columns = ("p50 ms", "p95 ms", "p99 ms", "cpu p50", "cpu p95", "sql p50", "sql p95")
    print(f"{'shape':30} {'index':8}" + " ".join(f"{c:>8}" for c in columns))
    for name, _params in shapes:
        for present in states:
            timings, cpu, sql = found[present, name]
            if len(timings) < 20:
                print(f"{name:30} too few runs before --seconds")
                continue
            cuts, cpu_cuts, sql_cuts = (statistics.quantiles(x, n=100) for x in (timings, cpu, sql))
            print(
                f"{name:30} {'with' if present else 'without':8}"
                f"{cuts[49]:8.1f} {cuts[94]:8.1f} {cuts[98]:8.1f}"
                f" {cpu_cuts[49]:8.1f} {cpu_cuts[94]:8.1f} {sql_cuts[49]:8.1f} {sql_cuts[94]:8.1f}"
            )
    print(f"load average {min(load):.1f}–{max(load):.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
