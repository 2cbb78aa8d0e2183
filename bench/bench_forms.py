"""Form page benchmark: GET of a one-step form's step page by many logged-in citizens.

Sets up a throw-away var dir and database (SQLite; a fresh PostgreSQL database with --pg),
publishes bench/services/bench-enkel-henvendelse.yaml, creates --users citizens, each with a
session written directly as the login leaves it and one draft, starts `iktipet serve`
(granian WSGI, 2 workers × 8 threads) on 127.0.0.1 and loads it with `wrk`, whose Lua script
rotates through the citizens' cookies and draft URLs. Only a 200 counts as success.

    .venv/bin/python bench/bench_forms.py                       # SQLite, 8/16/32 conn, 10 s
    .venv/bin/python bench/bench_forms.py --pg postgres://postgres@127.0.0.1:5432
    .venv/bin/python bench/bench_forms.py --connections 16 --duration 15

Bounded: one pre-flight GET per citizen, a 2 s warm-up, then one --duration run (max 60 s)
per connection count. Needs `wrk` (Debian: apt-get install wrk).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _appbench import (
    Citizen,
    Result,
    Workspace,
    common_arguments,
    make_citizens,
    measure,
    report,
    request,
    run_wrk,
    served,
    step_targets,
)

TARGET = "target ≥ 760 req/s with p99 < 50 ms (ten times Open Forms' ~76 req/s)"


def preflight(port: int, citizens: list[Citizen]) -> int:
    """Every citizen's step page answers 200 with the form (and its first-visit prefill is
    done, as for a citizen coming back to the page). Returns the page size in bytes."""

    def one(citizen: Citizen) -> int:
        headers = {"Cookie": citizen.cookie(), "X-Forwarded-For": citizen.address}
        status, _headers, body = request("GET", port, citizen.step_path, headers)
        if status != 200 or b'name="topic"' not in body:
            raise RuntimeError(f"GET {citizen.step_path} answered {status}, not the form")
        return len(body)

    with ThreadPoolExecutor(8) as pool:
        sizes = list(pool.map(one, citizens))
    return max(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help="citizens (sessions, drafts)")
    parser.add_argument("--connections", default="8,16,32", help="comma list")
    parser.add_argument("--duration", type=int, default=10, help="seconds per run (max 60)")
    parser.add_argument(
        "--no-reference",
        action="store_true",
        help="skip the reference runs (/healthz and the anonymous front page)",
    )
    common_arguments(parser)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    duration = max(1, min(args.duration, 60))
    users = max(1, min(args.users, 5000))
    levels = [max(1, min(int(c), 256)) for c in args.connections.split(",")]

    workspace = Workspace(args.pg, "bench-forms")
    results: list[Result] = []
    try:
        print(f"Preparing {workspace.database} in {workspace.dir} …", flush=True)
        workspace.prepare()
        workspace.django()
        citizens = make_citizens(users, complete=False)
        from django.db import connections

        connections.close_all()
        with served(workspace) as server:
            size = preflight(server.port, citizens)
            print(f"{users} citizens ready; step page {size} bytes", flush=True)
            targets = step_targets(citizens)
            run_wrk(server.port, targets, workspace.dir, max(levels), 2)  # warm-up
            for connections_ in levels:
                result = measure(
                    server, "GET step page", targets, workspace, connections_, duration
                )
                result.extra.update({"page_bytes": size, "users": users})
                results.append(result)
            if not args.no_reference:
                # The same server at the same moment: how fast this machine is right now.
                for path, name in (("/healthz", "reference /healthz"), ("/", "reference /")):
                    reference = [(path, "x=y", "10.0.0.1")]
                    run_wrk(server.port, reference, workspace.dir, max(levels), 1)
                    results.append(
                        measure(server, name, reference, workspace, max(levels), duration)
                    )
    finally:
        workspace.close(args.keep)
    report(results, args.json, TARGET)


if __name__ == "__main__":
    main()
