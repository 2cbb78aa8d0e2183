"""A local webhook receiver for the tests: verifies every delivery with the
``standardwebhooks`` package, as an integrator would, and keeps what it got.

``mode`` chooses how it answers: ``ok`` (204), ``fail`` (500), ``gone`` (410), ``slow``
(answers 200 after ``delay`` seconds, later than the sender waits) or ``stall_first`` (the
first delivery is held unanswered until ``release`` is set, e.g. while its sender is killed;
every later one as ``ok``). ``unsigned``: every request is taken as it comes (204), not
verified: a stand-in for an SMS gateway. ``received`` keeps every request as it came,
``events`` the verified ones. ``stop()`` takes it down; ``start()`` brings it back on the same port.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook

PORTS = range(8150, 8160)  # this helper's port range on the shared machine


class Receiver:
    def __init__(self, secret: str = "") -> None:
        self.secret = secret
        self.mode = "ok"
        self.unsigned = False
        self.delay = 2.0
        self.events: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.refused = 0
        self.stalled = threading.Event()  # stall_first: the first delivery is being held
        self.release = threading.Event()
        self.changed = threading.Condition()
        self.server: ThreadingHTTPServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with receiver.changed:
                    receiver.received.append((headers, body))
                    first = len(receiver.received) == 1
                if receiver.mode == "stall_first" and first:
                    receiver.stalled.set()
                    receiver.release.wait(60)
                    return None
                if receiver.unsigned:
                    return self._answer(204)
                if receiver.mode == "fail":
                    return self._answer(500)
                if receiver.mode == "gone":
                    return self._answer(410)
                if receiver.mode == "slow":
                    time.sleep(receiver.delay)
                try:
                    event = Webhook(receiver.secret).verify(body, headers)
                except Exception:
                    receiver.refused += 1
                    return self._answer(400)
                with receiver.changed:
                    receiver.events.append(event)
                    receiver.headers.append(headers)
                    receiver.changed.notify_all()
                self._answer(204)
                return None

            def _answer(self, status: int) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # "slow": the sender stopped waiting, as the test means it to

        return Handler

    def start(self) -> Receiver:
        ports = [self.port] if self.port else list(PORTS)
        for port in ports:
            try:
                self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
            except OSError:
                continue
            self.port = port
            break
        else:
            raise RuntimeError("no free port for the webhook receiver")
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def wait_for_events(self, count: int, timeout: float) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.events) >= count, timeout), (
                f"{len(self.events)} of {count} events verified"
            )

    def stop(self) -> None:
        self.release.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def types_of(self, subject: str) -> list[str]:
        return [e["type"] for e in self.events if e["subject"] == subject]


def deliver_all() -> int:
    from iktipet.integrations.webhooks.delivery import deliver_due

    total = 0
    while attempted := deliver_due():
        total += attempted
    return total


def make_due() -> None:
    """As if the backoff had passed."""
    from django.utils import timezone

    from iktipet.integrations.models import Delivery

    Delivery.objects.filter(status="pending").update(next_attempt_at=timezone.now())
