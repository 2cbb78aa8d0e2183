"""/healthz, /readyz: alive always; ready only with database, migrations and a fresh worker."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from iktipet.ops.models import WorkerHeartbeat
from iktipet.ops.worker import beat


def test_healthz_is_200_and_touches_no_database(client):
    # No django_db mark: any database access here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_without_any_worker_is_503_with_the_reason(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reasons": ["no worker heartbeat"]}


@pytest.mark.django_db
def test_readyz_with_a_fresh_heartbeat_is_200(client):
    beat("worker-1", timezone.now())
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_with_a_stale_heartbeat_is_503(client, settings):
    settings.WORKER_HEARTBEAT_MAX_AGE = 60
    long_ago = timezone.now() - timedelta(minutes=5)
    WorkerHeartbeat.objects.create(worker_id="old", started_at=long_ago, last_seen=long_ago)
    response = client.get("/readyz")
    assert response.status_code == 503
    [reason] = response.json()["reasons"]
    assert reason.startswith("worker heartbeat is ") and reason.endswith(" s old")


@pytest.mark.django_db
def test_broken_database_connection_makes_readyz_503_but_not_healthz(client, monkeypatch):
    beat("worker-1", timezone.now())

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["reasons"] == ["database unreachable: OperationalError"]
    assert client.get("/healthz").status_code == 200


READYZ_SCRIPT = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/readyz", HTTP_HOST="127.0.0.1")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def test_readyz_reports_unapplied_migrations(subprocess_env, tmp_path):
    # A fresh SQLite file that nobody has migrated yet.
    env = {
        **subprocess_env,
        "DJANGO_SETTINGS_MODULE": "iktipet.settings",
        "IKTIPET_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", READYZ_SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    import json

    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 503
    [reason] = outcome["body"]["reasons"]
    assert reason.endswith("migration(s) not applied")
