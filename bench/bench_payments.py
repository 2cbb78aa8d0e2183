"""Payments benchmark: concurrent payment starts and webhook deliveries through `iktipet serve`.

Sets up a throw-away var dir and database (a fresh PostgreSQL database with --pg; SQLite
otherwise), --orders citizens each logged in (session written as the login leaves it) with
one payment order, and starts `iktipet serve` on 127.0.0.1 (port 8110–8119). Then:

1. **starts**: every citizen presses "Betal" twice at once (a double click), all citizens
   concurrently: each pair must land on the same testbank checkout, one attempt per order;
2. **checkout**: each citizen approves (80 %), declines (10 %) or abandons (10 %) at the
   testbank and comes back to the return page, which asks the provider;
3. **webhooks**: every webhook the testbank queued is delivered by this script, signed,
   twice each and in shuffled order, concurrently; then `iktipet worker` runs the captures
   and delivers the webhooks those send, until no order is left authorised.

At the end every order must match the provider's final state (approved → captured once for
its amount; declined → open again; abandoned → still pending at the provider), with no
server error (5xx) anywhere.

    .venv/bin/python bench/bench_payments.py --pg postgres://postgres@127.0.0.1:5432
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _appbench
from _appbench import (
    BIN,
    CSRF_COOKIE,
    SESSION_COOKIE,
    Result,
    Workspace,
    common_arguments,
    loadavg,
    percentiles,
    report,
    request,
    served,
    shuffled,
    signed_in_citizen,
)

PORTS = range(8110, 8120)  # this benchmark's own port range
SECRET = "bench-testbank-secret-0123456789"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE = re.compile(rf"{CSRF_COOKIE}=([^;]+)")


def free_port_in_range() -> int:
    import socket

    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind((_appbench.HOST, port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8110–8119")


class Payer:
    def __init__(self, index: int, session_key: str, order_id: str) -> None:
        self.index = index
        self.session_key = session_key
        self.order_id = order_id
        self.address = f"10.9.{index // 256 % 256}.{index % 256}"
        self.csrf_cookie = ""
        self.csrf_token = ""
        self.checkout = ""
        self.decision = "approve" if index % 10 < 8 else ("decline" if index % 10 == 8 else "")

    def headers(self, **extra: str) -> dict[str, str]:
        cookie = f"{SESSION_COOKIE}={self.session_key}"
        if self.csrf_cookie:
            cookie += f"; {CSRF_COOKIE}={self.csrf_cookie}"
        return {"Cookie": cookie, "X-Forwarded-For": self.address, **extra}


def make_payers(count: int, first_index: int = 0) -> list[Payer]:
    """``count`` citizens, each logged in, each with one order of 520 kr (a bench payable).
    ``first_index``: the first synthetic person's number (other benchmarks' people differ)."""
    from iktipet.accounts.parties import myself
    from iktipet.core.models import Agency
    from iktipet.payments import services
    from iktipet.payments.providers.base import OrderLine

    agency = Agency.objects.get(slug="naeringsetaten")
    payers = []
    for index in range(first_index, first_index + count):
        user, person, session_key = signed_in_citizen(index, f"bench-pay-{index}")
        order = services.create_order(
            payable=("bench", str(index)),
            agency=agency,
            title="Skjenkebevilling for en enkelt anledning",
            lines=[OrderLine("Gebyr", 1, 52_000)],
            user=user,
            party=myself(person),
        )
        payers.append(Payer(index, session_key, str(order.pk)))
    return payers


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()

    def timed(self, method: str, port: int, path: str, headers: dict[str, str], body=None):
        started = time.perf_counter()
        status, found, data = request(method, port, path, headers, body)
        with self.lock:
            self.latencies.append((time.perf_counter() - started) * 1000)
            self.statuses[status] += 1
        return status, found, data

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def phase(name: str, work, items, connections: int, tally: Tally, server, database: str) -> Result:
    before, cpu_before = loadavg(), server.cpu_seconds()
    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(work, items))
    seconds = time.perf_counter() - started
    cpu = server.cpu_seconds() - cpu_before
    p50, p99 = percentiles(sorted(tally.latencies))
    count = sum(tally.statuses.values())
    result = Result(
        scenario=name,
        database=database,
        rate_per_s=round(count / seconds, 1),
        p50_ms=p50,
        p99_ms=p99,
        errors=tally.server_errors,
        count=count,
        seconds=round(seconds, 2),
        concurrency=connections,
        load_before=before,
        load_after=loadavg(),
        extra={
            "statuses": dict(tally.statuses),
            # What the server's processes spent per request, whatever else the machine does.
            "server_cpu_ms_per_request": round(cpu * 1000 / max(count, 1), 2),
        },
    )
    print(f"{name}: {count} requests in {seconds:.1f} s, statuses {dict(tally.statuses)}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_arguments(parser)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    workspace = Workspace(args.pg, "payments")
    workspace.env.update({"IKTIPET_TESTBANK_SECRET": SECRET, "IKTIPET_TESTBANK_WEBHOOK_DELAY": "0"})
    _appbench.free_port = free_port_in_range  # served() takes its port from here
    results: list[Result] = []
    failures: list[str] = []
    try:
        workspace.prepare()
        workspace.django()
        payers = make_payers(min(args.orders, 2000))
        with served(workspace) as server:
            port = server.port
            # Each citizen's CSRF cookie and token, from its order page.
            for payer in payers:
                _status, found, data = request(
                    "GET", port, f"/betaling/{payer.order_id}/", payer.headers()
                )
                payer.csrf_cookie = COOKIE.search(found.get("set-cookie", "")).group(1)
                payer.csrf_token = TOKEN.search(data).group(1).decode()

            # 1. Double clicks on "Betal", every citizen at once.
            starts = Tally()

            def press(payer: Payer) -> str:
                body = urlencode({"csrfmiddlewaretoken": payer.csrf_token, "provider": "testbank"})
                status, found, _data = starts.timed(
                    "POST",
                    port,
                    f"/betaling/{payer.order_id}/betal/",
                    payer.headers(**{"Content-Type": "application/x-www-form-urlencoded"}),
                    body,
                )
                return found.get("location", "") if status == 302 else f"status {status}"

            def double_click(payer: Payer) -> None:
                with ThreadPoolExecutor(2) as pool:
                    first, second = pool.map(press, [payer, payer])
                if first != second or not first.startswith("/betaling/testbank/"):
                    failures.append(f"order {payer.order_id}: clicks went to {first}, {second}")
                payer.checkout = first

            results.append(
                phase(
                    "payment starts (double clicks)",
                    double_click,
                    payers,
                    args.connections // 2,
                    starts,
                    server,
                    workspace.database,
                )
            )

            # 2. The testbank's checkout, then the return page (which asks the provider).
            checkout = Tally()

            def decide_and_return(payer: Payer) -> None:
                if payer.decision:
                    body = urlencode(
                        {"csrfmiddlewaretoken": payer.csrf_token, "decision": payer.decision}
                    )
                    _status, found, _data = checkout.timed(
                        "POST",
                        port,
                        payer.checkout,
                        payer.headers(**{"Content-Type": "application/x-www-form-urlencoded"}),
                        body,
                    )
                    back = urlsplit(found.get("location", "")).path
                    checkout.timed("GET", port, back, payer.headers())

            results.append(
                phase(
                    "checkout + return",
                    decide_and_return,
                    payers,
                    args.connections,
                    checkout,
                    server,
                    workspace.database,
                )
            )

            # 3. The queued webhooks, each delivered twice, shuffled, concurrently.
            deliveries = take_webhooks()
            hooks = Tally()

            def deliver(item) -> None:
                path, event = item
                from iktipet.payments.testbank.webhooks import signed_delivery

                body, headers = signed_delivery(event, SECRET)
                status, _found, _data = hooks.timed("POST", port, path, headers, body.decode())
                if status != 200:
                    failures.append(f"webhook {event['id']}: {status}")

            results.append(
                phase(
                    "webhook deliveries (each twice, shuffled)",
                    deliver,
                    shuffled(deliveries * 2),
                    args.connections,
                    hooks,
                    server,
                    workspace.database,
                )
            )

            # 4. The worker captures and delivers what the captures send, through the server.
            env = {**workspace.env, "IKTIPET_BASE_URL": f"http://{_appbench.HOST}:{port}"}
            started = time.perf_counter()
            worker = subprocess.Popen(
                [str(BIN / "iktipet"), "worker", "--interval", "0.05"], env=env, cwd=Path.cwd()
            )
            try:
                settled = wait_until_settled(timeout=300)
            finally:
                worker.terminate()
                worker.wait(timeout=30)
            capture_seconds = time.perf_counter() - started
            print(f"worker: every approved order captured: {settled} in {capture_seconds:.1f} s")
            failures += check_final_states(payers)
        note = (
            f"\n{len(payers)} orders; the worker captured every approved one in "
            f"{capture_seconds:.1f} s; orders not matching the provider: {len(failures)}"
        )
        report(results, args.json, note)
        for failure in failures[:20]:
            print("FAIL", failure)
        total_errors = sum(result.errors for result in results)
        return 1 if failures or total_errors or not settled else 0
    finally:
        workspace.close(args.keep)


def take_webhooks() -> list[tuple[str, dict]]:
    from django_tasks_db.models import DBTaskResult

    rows = list(DBTaskResult.objects.filter(task_path__endswith="deliver_webhook"))
    taken = []
    for row in rows:
        url, event = row.args_kwargs["args"][:2]
        parts = urlsplit(url)
        taken.append((f"{parts.path}?{parts.query}" if parts.query else parts.path, event))
    DBTaskResult.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return taken


def wait_until_settled(timeout: float) -> bool:
    from iktipet.payments.models import PaymentOrder

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not PaymentOrder.objects.filter(state="authorized").exists():
            return True
        time.sleep(0.5)
    return False


def check_final_states(payers: list[Payer]) -> list[str]:
    """Every order against the testbank's book (the provider's final state)."""
    from iktipet.payments.models import PaymentOrder, TestbankPayment

    expected = {"approve": "captured", "decline": "open", "": "pending"}
    bank_state = {"approve": "authorized", "decline": "failed", "": "created"}
    failures = []
    for payer in payers:
        order = PaymentOrder.objects.get(pk=payer.order_id)
        rows = list(TestbankPayment.objects.filter(reference__startswith=order.reference + "-"))
        if len(rows) != 1:
            failures.append(f"{order.reference}: {len(rows)} payments at the bank")
            continue
        bank = rows[0]
        wanted_capture = 52_000 if payer.decision == "approve" else 0
        if (order.state, bank.state) != (expected[payer.decision], bank_state[payer.decision]):
            failures.append(f"{order.reference}: order {order.state}, bank {bank.state}")
        if (order.captured_ore, bank.captured_ore) != (wanted_capture, wanted_capture):
            failures.append(
                f"{order.reference}: captured {order.captured_ore} / bank {bank.captured_ore}"
            )
        if order.attempts.count() != 1:
            failures.append(f"{order.reference}: {order.attempts.count()} attempts")
    return failures


if __name__ == "__main__":
    sys.exit(main())
