"""What the local payment-provider servers share: a threading HTTP server on a free port,
the request log, and faults injected into the next request (a status, a delay)."""

from __future__ import annotations

import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


class ProviderServer:
    """Subclasses implement :meth:`respond`; ``start()`` serves it on 127.0.0.1."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.url = ""
        self._faults: deque[tuple[int, Any, float]] = deque()
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> Any:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._handle(self)

            do_POST = do_PUT = do_DELETE = do_GET

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.started()
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def started(self) -> None:
        """Called once the URL is known, before the first request."""

    # --- faults -----------------------------------------------------------------------------

    def fail_next(self, status: int, body: Any = None, *, delay: float = 0.0) -> None:
        """Answer the next request that takes faults with ``status`` and ``body``."""
        self._faults.append((status, body, delay))

    def delay_next(self, seconds: float) -> None:
        """Make the next request that takes faults wait ``seconds`` (a timeout), then answer."""
        self._faults.append((0, None, seconds))

    def take_fault(self) -> tuple[int, Any] | None:
        """The injected answer for this request, if any, after its delay."""
        if not self._faults:
            return None
        status, body, delay = self._faults.popleft()
        if delay:
            time.sleep(delay)
        return (status, body) if status else None

    # --- HTTP -------------------------------------------------------------------------------

    def respond(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, str]:
        """``(status, payload, content type)`` for one request."""
        raise NotImplementedError

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        headers = dict(handler.headers.items())
        self.requests.append(
            {
                "method": handler.command,
                "path": urlsplit(handler.path).path,
                "headers": headers,
                "body": body,
            }
        )
        status, payload, content_type = self.respond(handler.command, handler.path, headers, body)
        try:
            handler.send_response(status)
            if payload:
                handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except OSError:
            pass  # the client gave up waiting (a timeout test)
