"""Every hot page in one run: what each costs in server CPU against ``/healthz``, measured on
the same server in the same run, on SQLite and on PostgreSQL.

Pages, each loaded as its real user (``wrk`` rotating their session cookies, with the
``Accept-Encoding`` a browser sends):

* ``/healthz`` (the middleware stack alone: the reference, measured first and last);
* anonymous: the front page, the catalogue, the bench service's page;
* a citizen: the form step with six fields (a fresh draft), the summary (a complete draft),
  Min side, the applicant's case page;
* a case worker: the inbox and the staff case page;
* a citizen: a booking resource's picker (a week of 24 times a day) and a payment order's
  page (``bench_booking.make_resource``, ``bench_payments.make_payers``).

The data come from the real code paths (``_appbench.make_citizens`` and
``bench_case_pages.make_data``). Per page the script reports req/s, p50/p99, the server's CPU
ms per request (utime + stime of `iktipet serve`'s processes from /proc: contention inflates
it far less than wall time), the ratio to ``/healthz``, SQL statements per request (one
in-process request under ``CaptureQueriesContext``), and the response size compressed as
served (and uncompressed). With ``--half-load`` it then loads the named pages at half their
measured rate from a paced client (latency from the scheduled send time, so a stall is not
hidden) and reports that p99.

    .venv/bin/python bench/bench_pages.py                      # SQLite, then PostgreSQL
    .venv/bin/python bench/bench_pages.py --databases sqlite --duration 5
    .venv/bin/python bench/bench_pages.py --table bench/results/pages.md \
        --json bench/results/pages.json
    .venv/bin/python bench/bench_pages.py --databases sqlite --in-process 1000   # no server

Exit status 1 when a page costs more than its ratio (3× ``/healthz`` on SQLite, 4× on
PostgreSQL, as issue 13 sets), so it can run before a release. Bounded: a fresh database per
run, one warm-up second and one --duration run (max 60 s) per page. Needs ``wrk``.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _appbench import (
    HOST,
    SERVICE_ID,
    SESSION_COOKIE,
    Workspace,
    loadavg,
    make_citizens,
    percentiles,
    request,
    run_wrk,
    served,
)
from bench_booking import SLUG as BOOKING_SLUG
from bench_booking import make_resource
from bench_case_pages import count_queries, make_data, targets_of
from bench_payments import make_payers

BROWSER_ENCODING = "gzip, deflate, br"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"
MAX_RATIO = {"SQLite": 3.0, "PostgreSQL": 4.0, "SQLite + Redis": 3.0, "PostgreSQL + Redis": 4.0}
ANONYMOUS = "x=y"  # wrk's script needs a cookie column; this one names no session


@dataclass
class Page:
    name: str
    label: str
    targets: list[tuple[str, str, str]]
    marker: bytes  # in a 200 body: the real page, not a login page or an error


def pages_of(
    drafts: list[Any], complete: list[Any], case_targets: dict[str, Any], payers: list[Any]
) -> list[Page]:
    anonymous = "10.9.0.1"
    service = f"/tjenester/{SERVICE_ID}/"
    picker = f"/timebestilling/{BOOKING_SLUG}/"
    return [
        Page("front", "front page `/`", [("/", ANONYMOUS, anonymous)], b"/tjenester/"),
        Page("catalogue", "catalogue `/tjenester/`", [("/tjenester/", ANONYMOUS, anonymous)],
             service.encode()),
        Page("service", "service page", [(service, ANONYMOUS, anonymous)], b"/soknad/"),
        Page("step", "form step (6 fields)",
             [(c.step_path, c.cookie(), c.address) for c in drafts], b'name="topic"'),
        Page("summary", "summary", [(c.summary_path, c.cookie(), c.address) for c in complete],
             b"/send-inn/"),
        Page("my_page", "Min side", case_targets["my_page"], b"/min-side/saker/"),
        Page("citizen_case", "applicant's case", case_targets["citizen_case"], b"/melding/"),
        Page("inbox", "case worker's inbox", case_targets["inbox"], b"/saksbehandling/saker/"),
        Page("staff_case", "staff case page", case_targets["staff_case"], b"/melding/"),
        Page("booking", "booking: a week of times",
             [(picker, c.cookie(), c.address) for c in drafts],
             b'name="slot"'),
        Page("payment", "payment: the order page",
             [(f"/betaling/{p.order_id}/", f"{SESSION_COOKIE}={p.session_key}", p.address)
              for p in payers], b"/betal/"),
    ]  # fmt: skip


def wire_size(port: int, target: tuple[str, str, str], marker: bytes) -> dict[str, Any]:
    """One GET as a browser sends it: the bytes on the wire and the page uncompressed."""
    path, cookie, address = target
    headers = {"Cookie": cookie, "X-Forwarded-For": address, "Accept-Encoding": BROWSER_ENCODING}
    status, response_headers, body = request("GET", port, path, headers)
    encoding = response_headers.get("content-encoding", "")
    plain = body
    if encoding == "gzip":
        plain = gzip.decompress(body)
    elif encoding == "br":
        import brotli

        plain = brotli.decompress(body)
    if status != 200 or marker not in plain:
        raise RuntimeError(f"GET {path} answered {status}, not the page")
    return {"wire_bytes": len(body), "html_bytes": len(plain), "encoding": encoding or "none"}


def load(server: Any, workspace: Workspace, page: Page, connections: int, duration: int) -> dict:
    run_wrk(server.port, page.targets, workspace.dir, connections, 1, BROWSER_ENCODING)
    cpu_before, load_before = server.cpu_seconds(), loadavg()
    out = run_wrk(server.port, page.targets, workspace.dir, connections, duration, BROWSER_ENCODING)
    cpu = server.cpu_seconds() - cpu_before
    seconds = out["duration_us"] / 1e6
    found = {
        "rate": round(out["requests"] / seconds, 1),
        "p50_ms": round(out["p50_us"] / 1000, 1),
        "p99_ms": round(out["p99_us"] / 1000, 1),
        "errors": out["not_200"] + out["socket_errors"],
        "requests": out["requests"],
        "cpu_ms": round(cpu * 1000 / max(out["requests"], 1), 3),
        "load": f"{load_before}→{loadavg()}",
    }
    print(f"  {page.label}: {found}", flush=True)
    return found


def paced(port: int, targets: list[tuple[str, str, str]], rate: float, seconds: int) -> dict:
    """An open-loop client: request i is due at start + i/rate; its latency counts from then,
    so a server that stalls is charged for every request that waited (no coordinated
    omission). 16 threads, each with its own keep-alive connection."""
    total = max(1, int(rate * seconds))
    start = time.monotonic() + 0.5
    latencies: list[float] = []
    errors = [0]
    counter = iter(range(total))
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            due = start + index / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            path, cookie, address = targets[index % len(targets)]
            headers = {
                "Cookie": cookie,
                "X-Forwarded-For": address,
                "Accept-Encoding": BROWSER_ENCODING,
            }
            try:
                status = request("GET", port, path, headers, connection=connection)[0]
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                status = 0
            elapsed = (time.monotonic() - due) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += status != 200
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    p50, p99 = percentiles(latencies)
    return {"rate": round(rate, 1), "p50_ms": p50, "p99_ms": p99, "errors": errors[0]}


def profile(page: Page, requests: int) -> None:
    """In-process: ``requests`` GETs of the page (rotating its users) timed plain, then under
    cProfile; prints the functions with the most own and cumulative time."""
    import cProfile
    import pstats

    from django.test import Client

    clients = []
    for path, cookie, address in page.targets:
        client = Client(HTTP_HOST=HOST, REMOTE_ADDR=HOST, HTTP_X_FORWARDED_FOR=address)
        client.cookies["iktipet_session"] = cookie.split("=", 1)[1]
        client.get(path)  # warm-up: caches, translations, templates
        clients.append((client, path))

    def run() -> None:
        for index in range(requests):
            client, path = clients[index % len(clients)]
            if client.get(path).status_code != 200:
                raise RuntimeError(f"in-process GET {path} failed")

    started = time.process_time()
    run()
    plain = (time.process_time() - started) * 1000 / requests
    profiler = cProfile.Profile()
    profiler.runcall(run)
    print(f"\n{page.label}: {plain:.2f} ms CPU per request in-process (test client)")
    dump = os.environ.get("IKTIPET_BENCH_PROFILE_DIR")
    if dump:  # for pstats' callers/callees: python -m pstats DIR/page.prof
        profiler.dump_stats(os.path.join(dump, f"{page.name}.prof"))
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def in_process(pages: list[Page], requests: int) -> None:
    """In-process, without a server or a client: each page's WSGI request handed to Django's
    handler directly, ``requests`` times (rotating its users), three rounds; prints the best
    round's CPU per request, its ratio to ``/healthz`` measured the same way, and cProfile's
    function calls per request. What the server adds (HTTP, granian, ~0.15 ms here) is
    not in it; it is a quick figure for one change, never the target's measurement."""
    import cProfile
    import io
    import pstats

    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    def environ(path: str, cookie: str, address: str) -> dict[str, Any]:
        return {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": HOST, "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": HOST, "REMOTE_ADDR": HOST, "HTTP_X_FORWARDED_FOR": address,
            "HTTP_COOKIE": cookie, "HTTP_ACCEPT_ENCODING": BROWSER_ENCODING,
            "HTTP_ACCEPT_LANGUAGE": "nb", "wsgi.url_scheme": "http",
        }  # fmt: skip

    def one(env: dict[str, Any]) -> None:
        status: list[str] = []
        body = application(
            dict(env, **{"wsgi.input": io.BytesIO(b"")}),
            lambda s, headers, exc_info=None: status.append(s),
        )
        b"".join(body)
        if not status[0].startswith("200"):
            raise RuntimeError(f"in-process GET {env['PATH_INFO']} answered {status[0]}")

    healthz = Page("healthz", "`/healthz`", [("/healthz", ANONYMOUS, "10.9.0.2")], b"")
    reference = None
    for page in [healthz, *pages]:
        envs = [environ(*target) for target in page.targets]
        for env in envs:
            one(env)  # warm-up: caches, translations, compiled reads
        rounds = []
        for _ in range(3):
            started = time.process_time()
            for index in range(requests):
                one(envs[index % len(envs)])
            rounds.append((time.process_time() - started) * 1000 / requests)
        profiler = cProfile.Profile()
        profiler.enable()
        for index in range(200):
            one(envs[index % len(envs)])
        profiler.disable()
        dump = os.environ.get("IKTIPET_BENCH_PROFILE_DIR")
        if dump:  # the handler's own profile, without the test client's: python -m pstats
            profiler.dump_stats(os.path.join(dump, f"{page.name}.handler.prof"))
        calls = pstats.Stats(profiler).total_calls / 200  # type: ignore[attr-defined]
        best = min(rounds)
        reference = reference or best
        print(
            f"{page.label:28s} {best:.3f} ms CPU ({best / reference:.2f}× /healthz)"
            f"  {calls:.0f} function calls per request",
            flush=True,
        )


def serve_pss_mib(session: int) -> float:
    """Proportional set size of `iktipet serve`'s processes (granian and its workers) after
    the load: shared pages counted once across them."""
    total_kib = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[3]) != session:
                continue
            rollup = (stat.parent / "smaps_rollup").read_text()
        except (OSError, IndexError, ValueError):
            continue
        total_kib += sum(
            int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")
        )
    return round(total_kib / 1024, 1)


def one_database(args: argparse.Namespace, database: str) -> dict[str, Any]:
    """Set up, load every page, return the figures (runs in its own process: Django is
    configured once per process, with that database)."""
    workspace = Workspace(args.pg if database == "pg" else None, "bench-pages")
    if args.redis:  # the shared cache, and with it the sessions in the cache (cached_db)
        workspace.env["IKTIPET_REDIS_URL"] = args.redis
        workspace.database += " + Redis"
    figures: dict[str, Any] = {"database": workspace.database, "pages": {}}
    try:
        print(f"Preparing {workspace.database} in {workspace.dir} …", flush=True)
        workspace.prepare()
        workspace.django()
        if args.redis:
            from django.core.cache import cache

            cache.clear()  # rate-limit counters and sessions of an earlier run
        started = time.monotonic()
        drafts = make_citizens(args.citizens, complete=False, first_index=5000)
        complete = make_citizens(args.citizens, complete=True, first_index=6000)
        data = make_data(args.citizens, 3, 4, 3)
        make_resource(capacity=4, slots=1)
        payers = make_payers(args.citizens, first_index=7000)
        pages = pages_of(drafts, complete, targets_of(data), payers)
        wanted = set(args.pages.split(",")) if args.pages else None
        pages = [p for p in pages if wanted is None or p.name in wanted]
        print(f"data ready in {time.monotonic() - started:.0f} s", flush=True)
        queries = count_queries({p.name: p.targets for p in pages})
        if args.in_process:
            in_process(pages, args.in_process)
            return figures
        if args.profile:
            for page in pages:
                profile(page, args.profile)
            return figures
        from django.db import connections

        connections.close_all()
        with served(workspace) as server:
            healthz = Page("healthz", "`/healthz`", [("/healthz", ANONYMOUS, "10.9.0.2")], b"")
            figures["load_before"] = loadavg()
            first = load(server, workspace, healthz, args.connections, args.duration)
            for page in pages:
                entry = wire_size(server.port, page.targets[0], page.marker)
                entry |= load(server, workspace, page, args.connections, args.duration)
                entry["queries"] = queries[page.name]["queries"]
                entry["writes"] = queries[page.name]["writes"]
                entry["label"] = page.label
                figures["pages"][page.name] = entry
            last = load(server, workspace, healthz, args.connections, args.duration)
            reference = (first["cpu_ms"] + last["cpu_ms"]) / 2
            figures["healthz"] = {"first": first, "last": last, "cpu_ms": round(reference, 3)}
            for entry in figures["pages"].values():
                entry["ratio"] = round(entry["cpu_ms"] / reference, 2)
            for name in [n for n in args.half_load.split(",") if n in figures["pages"]]:
                page = next(p for p in pages if p.name == name)
                entry = figures["pages"][name]
                half = paced(server.port, page.targets, entry["rate"] / 2, args.duration)
                print(f"  {page.label} at half load: {half}", flush=True)
                entry["half_load"] = half
            figures["load_after"] = loadavg()
            figures["serve_pss_mib"] = serve_pss_mib(server.process.pid)
    finally:
        workspace.close(args.keep)
    return figures


def table(runs: list[dict[str, Any]]) -> str:
    lines = [
        "| page | DB | req/s | p50 ms | p99 ms | CPU ms/req | × `/healthz` | SQL/req"
        " | bytes (wire / HTML) | p99 at ½ rate |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        db, ref = run["database"], run["healthz"]
        first = ref["first"]
        lines.append(
            f"| `/healthz` (reference) | {db} | {first['rate']} | {first['p50_ms']}"
            f" | {first['p99_ms']} | {ref['cpu_ms']} | 1 | 0 | – | – |"
        )
        for entry in run["pages"].values():
            half = entry.get("half_load")
            half_text = f"{half['p99_ms']} ms at {half['rate']}/s" if half else "–"
            over = " **over**" if entry["ratio"] > MAX_RATIO[db] else ""
            lines.append(
                f"| {entry['label']} | {db} | {entry['rate']} | {entry['p50_ms']}"
                f" | {entry['p99_ms']} | {entry['cpu_ms']} | {entry['ratio']}{over}"
                f" | {entry['queries']} ({entry['writes']} w)"
                f" | {entry['wire_bytes']} {entry['encoding']} / {entry['html_bytes']}"
                f" | {half_text} |"
            )
    loads = ", ".join(f"{r['database']} {r['load_before']}→{r['load_after']}" for r in runs)
    pss = ", ".join(f"{r['database']} {r.get('serve_pss_mib')} MiB" for r in runs)
    lines.append("")
    lines.append(f"Load average during the runs: {loads} (2 vCPU).")
    lines.append(f"PSS of `iktipet serve` (2 workers) after the load: {pss}.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,pg", help="comma list of sqlite, pg")
    parser.add_argument("--pg", default=DEFAULT_PG, metavar="URL", help="PostgreSQL server")
    parser.add_argument(
        "--redis",
        metavar="URL",
        help="IKTIPET_REDIS_URL for the server, e.g. redis://127.0.0.1:6379/13 (a database"
        " of its own: the script clears it)",
    )
    parser.add_argument("--pages", default="", help="only these pages (comma list of names)")
    parser.add_argument("--citizens", type=int, default=30, help="per kind of page (max 500)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (max 256)")
    parser.add_argument("--duration", type=int, default=5, help="seconds per page (max 60)")
    parser.add_argument(
        "--half-load", default="step,staff_case", help="pages loaded again at half their rate"
    )
    parser.add_argument("--table", type=Path, help="also write the markdown table here")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the work dir (debugging)")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="instead of the load: N in-process requests of each page (--pages) under cProfile",
    )
    parser.add_argument(
        "--in-process",
        type=int,
        metavar="N",
        help="instead of the load: N requests of each page handed to Django's WSGI handler"
        " directly (no server), CPU ms per request and function calls",
    )
    parser.add_argument("--one", choices=("sqlite", "pg"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if shutil.which("wrk") is None and not (args.profile or args.in_process):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    args.duration = max(1, min(args.duration, 60))
    args.connections = max(1, min(args.connections, 256))
    args.citizens = max(1, min(args.citizens, 500))

    if args.one:
        args.out.write_text(json.dumps(one_database(args, args.one)))
        return
    runs = []
    for database in [d for d in args.databases.split(",") if d]:
        out = Path(f"/tmp/iktipet-bench-pages-{os.getpid()}-{database}.json")
        command = [sys.executable, __file__, *sys.argv[1:], "--one", database, "--out", str(out)]
        subprocess.run(command, check=True, timeout=3600)
        runs.append(json.loads(out.read_text()))
        out.unlink()
    if args.profile or args.in_process:
        return
    text = table(runs)
    print()
    print(text)
    if args.table:
        args.table.parent.mkdir(parents=True, exist_ok=True)
        args.table.write_text(text + "\n")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(runs, indent=2))
    over = [
        f"{run['database']} {entry['label']}: {entry['ratio']}× > {MAX_RATIO[run['database']]}×"
        for run in runs
        for entry in run["pages"].values()
        if entry["ratio"] > MAX_RATIO[run["database"]]
    ]
    if over:
        print("\nOver the ratio:\n  " + "\n  ".join(over))
        raise SystemExit(1)


if __name__ == "__main__":
    main()
