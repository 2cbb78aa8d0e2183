"""The integration API's case list at 100 000 cases on PostgreSQL: p50/p95/p99 per shape.

Loads (once) synthetic cases with bench_inbox's loader into a dedicated database, registers
an API client for all four agencies, and times GET /api/v1/cases through Django's test
client — the whole request: middleware, the bearer token checked against the issuer's
(cached) JWKS, the rate limit, the query, serialisation and the audit row.

    .venv/bin/python bench/bench_api.py
    .venv/bin/python bench/bench_api.py --cases 100000 --runs 200

The token is TestID's (the issuer's metadata and JWKS are put in the cache as the first
call would fetch them: no web server is needed). Bounded: timing stops after --seconds.
Besides wall time it prints the request's CPU time in this process (the Python side; the
database's own time is in the wall figure only): on a shared, loaded machine the wall
figures mostly measure the queue for the CPU.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_inbox

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/iktipet_h5_bench_api"
ORGNR = "999000777"


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("IKTIPET_BENCH_API_URL", DEFAULT_URL))
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200, help="timings per shape")
    parser.add_argument("--seconds", type=float, default=240)
    args = parser.parse_args()

    os.environ["IKTIPET_TESTID"] = "1"
    os.environ["IKTIPET_API_RATE_LIMIT"] = "1000000"
    os.environ.setdefault("IKTIPET_LOG_LEVEL", "WARNING")
    bench_inbox._prepare_database(args.url)
    bench_inbox._setup_django(args.url)
    workers, applicants = bench_inbox._actors()
    bench_inbox._load(args.cases, workers, applicants, reload=False)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from iktipet.cases.models import Case

    token = _client_and_token()
    http = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="127.0.0.1")
    first = http.get("/api/v1/cases", {"limit": 50})
    assert first.status_code == 200, first.content[:500]
    cursor = first.json()["next_cursor"]
    recent = Case.objects.order_by("-updated_at").values_list("updated_at", flat=True)[500]
    shapes = [
        ("first page (50)", {"limit": 50}),
        ("second page (cursor)", {"limit": 50, "cursor": cursor}),
        ("status=under_review", {"status": "under_review", "limit": 50}),
        ("service=bench-byggesak", {"service": "bench-byggesak", "limit": 50}),
        ("changed_since (500 newest)", {"changed_since": recent.isoformat(), "limit": 50}),
        ("limit=200", {"limit": 200}),
    ]
    print(f"{Case.objects.count():,} cases; {args.runs} runs per shape")
    columns = ("p50 ms", "p95 ms", "p99 ms", "cpu p50", "cpu p95", "sql p50", "sql p95")
    print(f"{'shape':32} " + " ".join(f"{c:>8}" for c in columns))
    deadline = time.monotonic() + args.seconds
    for name, params in shapes:
        timings, cpu, sql = [], [], []
        for _ in range(args.runs):
            if time.monotonic() > deadline:
                break
            started, started_cpu = time.perf_counter(), time.thread_time()
            connection.queries_log.clear()  # the log keeps 9000 queries; it would overflow
            with CaptureQueriesContext(connection) as queries:
                response = http.get("/api/v1/cases", params)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
            assert response.status_code == 200, response.content[:300]
        if len(timings) < 20:
            print(f"{name:32} too few runs before --seconds")
            continue
        cuts = statistics.quantiles(timings, n=100)
        cpu_cuts = statistics.quantiles(cpu, n=100)
        sql_cuts = statistics.quantiles(sql, n=100)
        print(
            f"{name:32} {cuts[49]:8.1f} {cuts[94]:8.1f} {cuts[98]:8.1f}"
            f" {cpu_cuts[49]:8.1f} {cpu_cuts[94]:8.1f} {sql_cuts[49]:8.1f} {sql_cuts[94]:8.1f}"
        )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
