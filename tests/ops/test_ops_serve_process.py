"""The real `iktipet serve` (granian) against a database that is down: alive but not ready."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server_with_database_down(subprocess_env, tmp_path):
    port = free_port()
    closed_port = free_port()  # nothing listens there: connecting is refused at once
    env = {
        **subprocess_env,
        "IKTIPET_SECRET_KEY": "serve-test-" + "s" * 40,
        "IKTIPET_DATABASE_URL": f"postgres://iktipet@127.0.0.1:{closed_port}/iktipet",
        "IKTIPET_LOG_FORMAT": "json",
    }
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "iktipet",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{base}/healthz", timeout=1)
            break
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.close()
                pytest.fail("serve did not start:\n" + (tmp_path / "serve.log").read_text())
            time.sleep(0.2)
    yield base
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    log.close()


def test_healthz_stays_200_while_readyz_is_503(server_with_database_down):
    base = server_with_database_down
    health = httpx.get(f"{base}/healthz", timeout=10)
    assert health.status_code == 200
    assert health.text == "ok\n"

    ready = httpx.get(f"{base}/readyz", timeout=30)
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable"
    assert any("database unreachable" in reason for reason in body["reasons"])

    # Still alive after the failed database call.
    assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200


def test_metrics_still_answer_while_the_database_is_down(server_with_database_down):
    base = server_with_database_down
    httpx.get(f"{base}/healthz", timeout=10)
    response = httpx.get(f"{base}/metrics", timeout=30)
    assert response.status_code == 200
    assert 'iktipet_http_requests_total{method="GET",route="healthz",status="200"}' in (
        response.text
    )
    assert "iktipet_database_up 0.0" in response.text
