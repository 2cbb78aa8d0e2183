"""Webhook throughput: events delivered per second to a local receiver, 1 and 2 workers.

Writes --events domain events over --subjects cases for one agency (PostgreSQL, its own
database), each fanned out to one subscription whose receiver (a separate process on
127.0.0.1, verifying every signature with ``standardwebhooks``) answers 204. Then W worker
processes run the delivery loop (``integrations.webhooks.delivery.deliver_due``) until all
are delivered; the deliveries are reset between runs. Besides events/s it prints the CPU
the worker processes used per delivery once started (``time.process_time``; PostgreSQL's
and the receiver's CPU are not in it): on a shared machine the rate follows the load.

    .venv/bin/python bench/bench_webhooks.py --events 2000 --subjects 200
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/iktipet_h5_bench_hooks"
PORT = 8151  # this bench's port on the shared machine


def _django(url: str) -> None:
    os.environ["IKTIPET_DATABASE_URL"] = url
    os.environ["IKTIPET_DEBUG"] = "1"  # a receiver on loopback over http
    os.environ.setdefault("IKTIPET_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iktipet.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _receiver(secret: str, port: int) -> None:
    from standardwebhooks.webhooks import Webhook

    hook = Webhook(secret)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                hook.verify(body, {k.lower(): v for k, v in self.headers.items()})
                status = 204
            except Exception:
                status = 400
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def _worker(url: str, spent: Any) -> None:
    """The delivery loop until nothing is left; puts (CPU s, loop start, loop end)."""
    _django(url)
    from iktipet.integrations.webhooks.delivery import deliver_due

    started, began = time.process_time(), time.time()
    idle = 0
    while idle < 3:  # a few empty rounds: the other worker may still hold some
        idle = 0 if deliver_due() else idle + 1
        if idle:
            time.sleep(0.05)
    spent.put((time.process_time() - started, began, time.time()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("IKTIPET_BENCH_HOOKS_URL", DEFAULT_URL))
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--subjects", type=int, default=200)
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_inbox

    bench_inbox._prepare_database(args.url)
    _django(args.url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from iktipet.core.demo_data import load_municipality
    from iktipet.core.events import record_event
    from iktipet.core.models import Agency, DomainEvent
    from iktipet.integrations.models import Delivery, Subscription

    load_municipality()
    agency = Agency.objects.get(slug="naeringsetaten")
    Delivery.objects.all().delete()
    DomainEvent.objects.filter(source="/bench").delete()
    Subscription.objects.all().delete()
    subscription = Subscription.objects.create(agency=agency, url=f"http://127.0.0.1:{PORT}/hook")
    spawn = multiprocessing.get_context("spawn")  # no inherited database connection
    receiver = spawn.Process(target=_receiver, args=(subscription.secret, PORT), daemon=True)
    receiver.start()
    time.sleep(0.5)
    for i in range(args.events):
        record_event(
            "case.status_changed",
            subject=f"cases/bench-{i % args.subjects}",
            source="/bench",
            agency=agency,
            data={"n": i},
        )
    print(f"{args.events} events over {args.subjects} subjects, one subscription", flush=True)
    for workers in [int(w) for w in args.workers.split(",")]:
        Delivery.objects.update(
            status="pending", attempts=0, next_attempt_at=timezone.now(), locked_until=None
        )
        load_before = os.getloadavg()[0]
        spent = spawn.SimpleQueue()
        connection.close()
        processes = [spawn.Process(target=_worker, args=(args.url, spent)) for _ in range(workers)]
        for process in processes:
            process.start()
        for process in processes:
            process.join()
        # From the first loop's start to the last one's end: not the workers' start-up.
        cpu, began, ended = zip(*(spent.get() for _ in processes), strict=True)
        elapsed = max(ended) - min(began)
        delivered = Delivery.objects.filter(status="delivered").count()
        print(
            f"{workers} worker(s): {delivered} delivered in {elapsed:.1f} s = "
            f"{delivered / elapsed:.0f} events/s, worker CPU {sum(cpu) * 1000 / delivered:.1f} ms"
            f" per delivery (load average {load_before:.1f}→{os.getloadavg()[0]:.1f})",
            flush=True,
        )
    receiver.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
