"""The real `iktipet serve` (granian) against a database that is down: alive but not ready."""

from __future__ import annotations

import httpx
import pytest
from serve_helpers import free_port, serving


@pytest.fixture
def server_with_database_down(subprocess_env, tmp_path):
    closed_port = free_port()  # nothing listens there: connecting is refused at once
    env = {
        **subprocess_env,
        "IKTIPET_SECRET_KEY": "serve-test-" + "s" * 40,
        "IKTIPET_DATABASE_URL": f"postgres://iktipet@127.0.0.1:{closed_port}/iktipet",
        "IKTIPET_LOG_FORMAT": "json",
    }
    with serving(env, tmp_path / "serve.log") as (base, _port):
        yield base


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
