"""The case workers' inbox with one million cases on PostgreSQL.

Loads (once) a million synthetic cases into a dedicated database with INSERT … SELECT
generate_series — four agencies, ten services, three years of receipts, mostly closed —
ANALYZEs, then times each query shape of cases.inbox.inbox_page and prints the
p50/p95/p99 table and the EXPLAIN (ANALYZE, BUFFERS) of each shape's page query.

    .venv/bin/python bench/bench_inbox.py
    .venv/bin/python bench/bench_inbox.py --url postgres://postgres@127.0.0.1:5432/x --runs 200
    .venv/bin/python bench/bench_inbox.py --reload          # drop the loaded cases first

Idempotent: a second run reuses the loaded cases. Bounded: timing stops after --seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/iktipet_bench_inbox"
BENCH_PREFIX = "bench-"
WORKERS = 6
#: (service id, title, agency slug, workflow)
SERVICES = [
    ("bench-skjenkebevilling", "Skjenkebevilling", "naeringsetaten", "skjenkebevilling"),
    ("bench-serveringsbevilling", "Serveringsbevilling", "naeringsetaten", "standard"),
    ("bench-salgsbevilling", "Salgsbevilling", "naeringsetaten", "standard"),
    ("bench-byggesak", "Byggesøknad", "plan-og-bygningsetaten", "standard"),
    ("bench-delesak", "Deling av eiendom", "plan-og-bygningsetaten", "standard"),
    ("bench-skoleskyss", "Skoleskyss", "utdanningsetaten", "standard"),
    ("bench-sfo", "Plass i AKS", "utdanningsetaten", "standard"),
    ("bench-gravetillatelse", "Gravetillatelse", "bymiljoetaten", "standard"),
    ("bench-parkering", "Beboerparkering", "bymiljoetaten", "standard"),
    ("bench-arrangement", "Arrangement på offentlig sted", "bymiljoetaten", "skjenkebevilling"),
]
GIVEN = [
    "Kari", "Ola", "Per", "Sofie", "Nora", "Emma", "Jakob", "Lukas", "Ingrid", "Aksel",
    "Maja", "Filip", "Sara", "Henrik", "Ida", "Magnus", "Thea", "Oskar", "Leah", "Elias",
]  # fmt: skip
FAMILY = [
    "Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
    "Kristiansen", "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen",
    "Hagen", "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Henriksen",
    "Lund", "Halvorsen", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen",
]  # fmt: skip


def _prepare_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def _setup_django(url: str) -> None:
    os.environ["IKTIPET_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iktipet.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _actors() -> tuple[list, list]:
    """The demo agencies, a handful of case workers in each, a few synthetic applicants."""
    from iktipet.accounts.models import User
    from iktipet.accounts.services import sync_staff_roles
    from iktipet.core.demo_data import load_municipality

    load_municipality()
    slugs = sorted({service[2] for service in SERVICES})
    workers = []
    for n in range(1, WORKERS + 1):
        user, _ = User.objects.get_or_create(
            username=f"bench-worker-{n}",
            defaults={"kind": User.Kind.STAFF, "first_name": "Saksbehandler", "last_name": str(n)},
        )
        sync_staff_roles(user, [(slug, "case_worker") for slug in slugs])
        workers.append(user)
    applicants = []
    for n in range(1, 6):
        user, _ = User.objects.get_or_create(
            username=f"bench-citizen-{n}",
            defaults={"kind": User.Kind.CITIZEN, "first_name": "Søker", "last_name": str(n)},
        )
        applicants.append(user)
    return workers, applicants


LOAD_SQL = """
INSERT INTO cases_case (
    id, agency_id, year, sequence, kind, service_id, title, workflow, status, is_open,
    applicant_id, party_kind, party_identifier, party_name, search_name, assignee_id,
    received_at, due_date, waiting_until, decided_at, closed_at, updated_at
)
SELECT
    gen_random_uuid(), agency_id,
    extract(year FROM received_at AT TIME ZONE 'Europe/Oslo')::int,
    row_number() OVER (
        PARTITION BY agency_id, extract(year FROM received_at AT TIME ZONE 'Europe/Oslo')
        ORDER BY received_at
    ),
    'application', service_id, title, workflow, status, NOT closed,
    applicant_id, 'person', '', party_name, lower(party_name), assignee_id,
    received_at, (received_at + interval '1 month')::date,
    CASE WHEN status = 'waiting_for_applicant'
         THEN received_at + interval '20 days' + (r3 * interval '30 days') END,
    CASE WHEN closed OR status = 'decided' THEN received_at + interval '25 days' END,
    CASE WHEN closed THEN received_at + interval '30 days' END,
    now()
FROM (
    SELECT
        s.agency_id, s.service_id, s.title, s.workflow, g.received_at, g.r3,
        g.closed,
        CASE
            WHEN g.closed THEN 'closed'
            WHEN g.r2 < 0.30 THEN 'received'
            WHEN g.r2 < 0.65 THEN 'under_review'
            WHEN g.r2 < 0.78 THEN 'waiting_for_applicant'
            WHEN g.r2 < 0.88 AND s.workflow = 'skjenkebevilling' THEN 'hearing'
            ELSE 'decided'
        END AS status,
        (%(applicants)s::bigint[])[1 + (g.i %% %(n_applicants)s)] AS applicant_id,
        (%(given)s::text[])[1 + (g.i * 7 %% %(n_given)s)] || ' '
            || (%(family)s::text[])[1 + (g.i * 13 %% %(n_family)s)] || '-Test' AS party_name,
        CASE WHEN (NOT g.closed AND g.r1 < 0.45) OR (g.closed AND g.r1 < 0.97)
             THEN (%(workers)s::bigint[])[1 + (g.i %% %(n_workers)s)] END AS assignee_id
    FROM (
        SELECT
            i,
            now() - (random() * interval '1095 days') AS received_at,
            random() AS r1, random() AS r2, random() AS r3, random() AS r4
        FROM generate_series(1, %(count)s) AS i
    ) AS raw
    CROSS JOIN LATERAL (
        SELECT raw.i, raw.received_at, raw.r1, raw.r2, raw.r3,
               CASE WHEN raw.received_at > now() - interval '120 days' THEN raw.r4 > 0.6
                    ELSE raw.r4 > 0.004 END AS closed
    ) AS g
    JOIN (
        SELECT ord - 1 AS n, service_id, title, agency_id, workflow
        FROM unnest(%(service_ids)s::text[], %(titles)s::text[], %(agencies)s::bigint[],
                    %(workflows)s::text[]) WITH ORDINALITY
             AS t(service_id, title, agency_id, workflow, ord)
    ) AS s ON s.n = g.i %% %(n_services)s
) AS rows
"""

THREADS_SQL = """
INSERT INTO messaging_thread (id, agency_id, subject_type, subject_id, title, created_at)
SELECT gen_random_uuid(), agency_id, 'cases.case', id::text, title, received_at
FROM cases_case WHERE is_open AND thread_id IS NULL AND service_id LIKE 'bench-%%';
UPDATE cases_case c SET thread_id = t.id FROM messaging_thread t
WHERE t.subject_type = 'cases.case' AND t.subject_id = c.id::text AND c.thread_id IS NULL;
INSERT INTO messaging_message (id, thread_id, side, kind, author_label, body, created_at)
SELECT gen_random_uuid(), thread_id, 'citizen', 'message', party_name, 'Hei, hvordan går det?',
       received_at + interval '2 days'
FROM cases_case WHERE thread_id IS NOT NULL AND random() < 0.3;
"""


def _load(count: int, workers: list, applicants: list, reload: bool) -> None:
    from django.db import connection, transaction

    from iktipet.cases.models import Case
    from iktipet.core.models import Agency

    existing = Case.objects.filter(service_id__startswith=BENCH_PREFIX).count()
    if existing >= count and not reload:
        print(f"reusing {existing:,} loaded cases")
        return
    agency_ids = dict(Agency.objects.values_list("slug", "pk"))
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM messaging_message WHERE thread_id IN (SELECT thread_id FROM cases_case"
            " WHERE service_id LIKE 'bench-%%' AND thread_id IS NOT NULL)"
        )
        cursor.execute("DELETE FROM cases_case WHERE service_id LIKE 'bench-%%'")
        cursor.execute(
            "DELETE FROM messaging_thread t WHERE subject_type = 'cases.case'"
            " AND NOT EXISTS (SELECT 1 FROM cases_case c WHERE c.thread_id = t.id)"
        )
        cursor.execute(
            LOAD_SQL,
            {
                "count": count,
                "applicants": [u.pk for u in applicants],
                "n_applicants": len(applicants),
                "workers": [u.pk for u in workers],
                "n_workers": len(workers),
                "given": GIVEN,
                "n_given": len(GIVEN),
                "family": FAMILY,
                "n_family": len(FAMILY),
                "service_ids": [s[0] for s in SERVICES],
                "titles": [s[1] for s in SERVICES],
                "agencies": [agency_ids[s[2]] for s in SERVICES],
                "workflows": [s[3] for s in SERVICES],
                "n_services": len(SERVICES),
            },
        )
        cursor.execute(THREADS_SQL)
    print(f"loaded {count:,} cases in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case")
        cursor.execute("VACUUM ANALYZE messaging_thread")
        cursor.execute("VACUUM ANALYZE messaging_message")


def _shapes(worker, agency) -> list[tuple[str, dict]]:
    """Each query shape as inbox_page keyword arguments (cursors computed here, once)."""
    from iktipet.cases import inbox
    from iktipet.cases.models import Case

    base = {"view": "all"}
    first = inbox.inbox_page(worker, agency, view="all", include_closed=True)
    deep = (
        Case.objects.filter(agency=agency)
        .order_by("-received_at", "-id")
        .values_list("received_at", "id")[100_000]
    )
    deep_cursor = inbox.Cursor(*deep).encode()
    number = Case.objects.filter(agency=agency).order_by("-received_at").first()
    return [
        ("mine", {"view": "mine"}),
        ("unassigned", {"view": "unassigned"}),
        ("all (open)", base),
        ("all incl. closed", {**base, "include_closed": True}),
        ("by service", {**base, "service": SERVICES[1][0]}),
        ("by status", {**base, "status": "under_review"}),
        ("overdue", {**base, "overdue": True}),
        ("name search 'nora han'", {**base, "query": "Nora Han", "include_closed": True}),
        ("name search 'kari'", {**base, "query": "kari", "include_closed": True}),
        ("case number", {**base, "query": number.reference, "include_closed": True}),
        ("number only", {**base, "query": f"{number.sequence:06d}", "include_closed": True}),
        ("page 2 (cursor)", {**base, "include_closed": True, "after": first.next_cursor}),
        ("page 4 001 (cursor)", {**base, "include_closed": True, "after": deep_cursor}),
        ("previous page", {**base, "include_closed": True, "before": deep_cursor}),
    ]


def _explain(worker, agency, kwargs: dict) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from iktipet.cases import inbox

    with CaptureQueriesContext(connection) as captured:
        inbox.inbox_page(worker, agency, **kwargs)
    page_sql = next(q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + page_sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("IKTIPET_BENCH_INBOX_URL", DEFAULT_URL))
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200, help="timings per shape")
    parser.add_argument("--seconds", type=float, default=300, help="stop timing after this")
    parser.add_argument("--reload", action="store_true", help="replace the loaded cases")
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args()
    if not args.url.startswith(("postgres://", "postgresql://")):
        parser.error("the inbox benchmark runs against PostgreSQL")
    _prepare_database(args.url)
    _setup_django(args.url)

    from django.db import connection, reset_queries

    from iktipet.core.models import Agency

    workers, applicants = _actors()
    _load(args.cases, workers, applicants, args.reload)
    worker = workers[0]
    agency = Agency.objects.get(slug="naeringsetaten")
    from iktipet.cases.models import Case

    total = Case.objects.count()
    in_agency = Case.objects.filter(agency=agency).count()
    open_count = Case.objects.filter(agency=agency, is_open=True).count()
    print(f"{total:,} cases; {agency.slug}: {in_agency:,} ({open_count:,} open)")
    shapes = _shapes(worker, agency)
    deadline = time.monotonic() + args.seconds
    results = []
    for name, kwargs in shapes:
        from iktipet.cases import inbox

        inbox.inbox_page(worker, agency, **kwargs)  # warm
        timings = []
        rows = 0
        for _ in range(args.runs):
            if time.monotonic() > deadline:
                break
            started = time.perf_counter()
            page = inbox.inbox_page(worker, agency, **kwargs)
            timings.append((time.perf_counter() - started) * 1000)
            rows = len(page.rows)
            reset_queries()
        if not timings:
            print(f"time is up before {name}")
            break
        timings.sort()
        q = statistics.quantiles(timings, n=100, method="inclusive") if len(timings) > 1 else []

        def pick(p: int, q=q, timings=timings) -> float:
            return q[p - 1] if q else timings[0]

        results.append((name, len(timings), rows, pick(50), pick(95), pick(99)))
    print()
    print(f"PostgreSQL {connection.pg_version // 10000}, {total:,} cases, agency {agency.slug}")
    print()
    print("| shape | runs | rows | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, runs, rows, p50, p95, p99 in results:
        print(f"| {name} | {runs} | {rows} | {p50:.2f} | {p95:.2f} | {p99:.2f} |")
    if not args.no_explain:
        for name, kwargs in shapes:
            print(f"\n--- EXPLAIN {name}\n{_explain(worker, agency, kwargs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
