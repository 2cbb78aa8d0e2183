"""Booking contention benchmark: N logged-in people press "book" on slots of capacity C.

Sets up a throw-away var dir and database (SQLite; a fresh PostgreSQL database with --pg),
a resource open every day with --capacity places per slot, and --clients citizens, each with
its own session (written as the login leaves it) and its own X-Forwarded-For. Each citizen
first opens the slot picker (the CSRF cookie and token, as a browser has them); then all
clients are released at once against `iktipet serve` on 127.0.0.1: each POSTs the hold of its
slot (client i takes slot i mod --slots, from tomorrow on) and, when it got a hold (302 to the
confirm page), POSTs the confirmation. A full slot is a 409 with the nearest free times.

It reports the confirmed bookings (must be exactly slots × capacity when clients exceed it,
checked against the database's counters and rows), server errors (5xx or a broken
connection: must be 0), throughput and p50/p99 of the hold POST.

    .venv/bin/python bench/bench_booking.py --clients 500 --capacity 10
    .venv/bin/python bench/bench_booking.py --clients 2000 --slots 200 --capacity 10 \
        --pg postgres://postgres@127.0.0.1:5432

Bounded: at most 5000 clients, each request with a 300 s timeout (all arrive at once).
"""

from __future__ import annotations

import argparse
import http.client
import re
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _appbench import (
    CSRF_COOKIE,
    HOST,
    SESSION_COOKIE,
    Result,
    Workspace,
    common_arguments,
    loadavg,
    logged_in_session,
    percentiles,
    report,
    request,
    served,
    synthetic_fodselsnummer,
)

TARGET = "target: p99 < 250 ms at 500 clients on PostgreSQL; confirmed == capacity per slot"
SLUG = "bench-booking"
_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_COOKIE = re.compile(rf"{CSRF_COOKIE}=([^;]+)")


@dataclass
class Client:
    session_key: str
    address: str
    slot: str
    csrf_cookie: str = ""
    csrf_token: str = ""

    def cookie(self) -> str:
        return f"{SESSION_COOKIE}={self.session_key}; {CSRF_COOKIE}={self.csrf_cookie}"


def make_resource(capacity: int, slots: int) -> list[str]:
    """A resource open 08–20 every day in 30-minute slots (a picker page of 7 × 24 times);
    the first ``slots`` slot values from tomorrow on (as the form posts them)."""
    from datetime import time as clock_time
    from datetime import timedelta

    from iktipet.booking import clock, selectors, timetable
    from iktipet.booking.forms import slot_value
    from iktipet.booking.models import OpeningRule, Resource
    from iktipet.core.models import Agency

    resource = Resource.objects.create(
        agency=Agency.objects.get(slug="bymiljoetaten"),
        slug=SLUG,
        name_nb="Benk",
        name_en="Bench",
        location="Testgata 1",
        capacity=capacity,
        slot_minutes=30,
        min_notice_minutes=0,
        horizon_days=14,
        quota_per_person=1,
        closed_on_sundays=False,
        closed_on_holidays=False,
    )
    for weekday in range(7):
        OpeningRule.objects.create(
            resource=resource, weekday=weekday, opens=clock_time(8), closes=clock_time(20)
        )
    tomorrow = timetable.today_local(clock.now()) + timedelta(days=1)
    found = [
        slot_value(slot.starts_at)
        for day in selectors.calendar_days(resource, tomorrow, resource.horizon_days - 1)
        for slot in day.slots
    ]
    if len(found) < slots:
        raise SystemExit(f"only {len(found)} slots within the horizon; ask for fewer")
    return found[:slots]


def make_clients(count: int, slots: list[str]) -> list[Client]:
    from django.db import transaction

    from iktipet.accounts.models import Person, User

    clients = []
    for index in range(count):
        with transaction.atomic():
            user = User.objects.create(
                username=f"bench-booking-{index}",
                first_name="Test",
                last_name=f"Innbygger {index}",
                email=f"bench-{index}@example.invalid",
                kind=User.Kind.CITIZEN,
            )
            person = Person(user=user)
            person.set_pid(synthetic_fodselsnummer(index))
            person.save()
            session_key = logged_in_session(user, person)
        address = f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"
        clients.append(Client(session_key, address, slots[index % len(slots)]))
    return clients


def fetch_csrf(port: int, clients: list[Client]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def one(client: Client) -> None:
        headers = {
            "Cookie": f"{SESSION_COOKIE}={client.session_key}",
            "X-Forwarded-For": client.address,
        }
        status, response_headers, body = request("GET", port, f"/timebestilling/{SLUG}/", headers)
        token, cookie = _TOKEN.search(body), _COOKIE.search(response_headers.get("set-cookie", ""))
        if status != 200 or token is None or cookie is None:
            raise RuntimeError(f"the picker answered {status} without the form")
        client.csrf_cookie, client.csrf_token = cookie.group(1), token.group(1).decode()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, clients))


def press_book(
    port: int, clients: list[Client], connections: int
) -> tuple[list[float], dict[str, int], list[str], float]:
    """Hold, then confirm, for every client over ``connections`` connections released at
    once (each takes the next waiting client). Latencies (ms) of the hold POSTs, outcome
    counts, errors, wall time."""
    lock = threading.Lock()
    waiting = iter(clients)
    barrier = threading.Barrier(connections + 1)
    latencies: list[float] = []
    outcomes = {"confirmed": 0, "full": 0, "refused": 0, "confirm_failed": 0}
    errors: list[str] = []

    def run(client: Client) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=300)
        headers = {
            "Cookie": client.cookie(),
            "X-Forwarded-For": client.address,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = urlencode({"csrfmiddlewaretoken": client.csrf_token, "slot": client.slot})
        started = time.perf_counter()
        try:
            status, found, _ = request(
                "POST", port, f"/timebestilling/{SLUG}/", headers, body, connection
            )
            elapsed = (time.perf_counter() - started) * 1000
            outcome = ""
            if status == 302 and found.get("location", "").endswith("/bekreft/"):
                confirm = urlencode({"csrfmiddlewaretoken": client.csrf_token, "action": "confirm"})
                status2, found2, _ = request(
                    "POST", port, found["location"], headers, confirm, connection
                )
                ok = status2 == 302 and "/bekreft/" not in found2.get("location", "")
                outcome = "confirmed" if ok else "confirm_failed"
                if status2 >= 500:
                    outcome = f"error {status2} on confirm"
            elif status == 409:
                outcome = "full"
            elif status == 400:
                outcome = "refused"
            else:
                outcome = f"error {status}"
        except (OSError, http.client.HTTPException) as exc:
            elapsed, outcome = (time.perf_counter() - started) * 1000, f"error {type(exc).__name__}"
        finally:
            connection.close()
        with lock:
            latencies.append(elapsed)
            if outcome in outcomes:
                outcomes[outcome] += 1
            else:
                errors.append(outcome)

    def connection_loop() -> None:
        barrier.wait()
        while True:
            with lock:
                client = next(waiting, None)
            if client is None:
                return
            run(client)

    threads = [threading.Thread(target=connection_loop) for _ in range(connections)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return latencies, outcomes, errors, time.perf_counter() - started


def check_database() -> dict[str, int]:
    from django.db import connections
    from django.db.models import F, Sum

    from iktipet.booking.models import Reservation, Slot

    connections.close_all()
    slots = Slot.objects.filter(resource__slug=SLUG)
    return {
        "confirmed_rows": Reservation.objects.filter(
            resource__slug=SLUG, status="confirmed"
        ).count(),
        "held_rows": Reservation.objects.filter(resource__slug=SLUG, status="held").count(),
        "taken": slots.aggregate(n=Sum("taken"))["n"] or 0,
        "overbooked_slots": slots.filter(taken__gt=F("capacity")).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=500, help="concurrent people (N)")
    parser.add_argument("--capacity", type=int, default=10, help="places per slot (C)")
    parser.add_argument("--slots", type=int, default=1, help="slots the clients spread over")
    parser.add_argument(
        "--connections",
        type=int,
        default=0,
        help="concurrent connections the clients share (default: one each, all at once)",
    )
    parser.add_argument("--workers", type=int, default=2, help="iktipet serve --workers")
    parser.add_argument("--threads", type=int, default=8, help="iktipet serve --threads")
    common_arguments(parser)
    args = parser.parse_args()
    count = max(1, min(args.clients, 5000))
    shared = max(1, min(args.connections or count, count))

    workspace = Workspace(args.pg, "bench-booking")
    results: list[Result] = []
    try:
        print(f"Preparing {workspace.database} in {workspace.dir} …", flush=True)
        workspace.prepare()
        workspace.django()
        slots = make_resource(args.capacity, args.slots)
        clients = make_clients(count, slots)
        from django.db import connections

        connections.close_all()
        with served(workspace, workers=args.workers, threads=args.threads) as server:
            fetch_csrf(server.port, clients)
            before, cpu_before = loadavg(), server.cpu_seconds()
            latencies, outcomes, errors, seconds = press_book(server.port, clients, shared)
            after, cpu = loadavg(), server.cpu_seconds() - cpu_before
        stored = check_database()
        expected = min(count, args.slots * args.capacity)
        p50, p99 = percentiles(latencies)
        result = Result(
            scenario=f"book N={count} C={args.capacity} slots={args.slots} conn={shared}",
            database=workspace.database,
            rate_per_s=round(count / seconds, 1),
            p50_ms=p50,
            p99_ms=p99,
            errors=len(errors),
            count=count,
            seconds=round(seconds, 2),
            concurrency=shared,
            load_before=before,
            load_after=after,
            extra={
                "server_cpu_ms_per_request": round(
                    cpu * 1000 / max(count + outcomes["confirmed"], 1), 2
                ),
                "outcomes": outcomes,
                "expected_confirmed": expected,
                "database": stored,
                "first_errors": errors[:5],
            },
        )
        results.append(result)
        print(f"outcomes: {outcomes}  expected confirmed: {expected}  errors: {len(errors)}")
        print(f"database afterwards: {stored}")
        if errors:
            print("first errors:", *errors[:5], sep="\n  ")
        if (
            outcomes["confirmed"] != expected
            or stored["confirmed_rows"] != expected
            or stored["taken"] != expected
            or stored["overbooked_slots"]
        ):
            print("MISMATCH: confirmed bookings differ from the capacity", flush=True)
    finally:
        workspace.close(args.keep)
    report(results, args.json, TARGET)


if __name__ == "__main__":
    main()
