"""The real `iktipet serve` (granian) in a subprocess, for tests that need a real server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(env: dict[str, str], log_path: Path) -> Iterator[tuple[str, int]]:
    """Run `iktipet serve` (one worker, two threads) until /healthz answers; yield its base
    URL and port, then stop it."""
    port = free_port()
    log = log_path.open("w")
    command = [sys.executable, "-m", "iktipet", "serve", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--workers", "1", "--threads", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    # A first start collects and compresses the static files: on a loaded machine that alone
    # took over 30 s (CI, with other suites running). The wait ends as soon as it answers.
    deadline = time.monotonic() + 120
    while True:
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            break
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.close()
                pytest.fail("serve did not start:\n" + log_path.read_text())
            time.sleep(0.2)
    try:
        yield base, port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
