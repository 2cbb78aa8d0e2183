"""/metrics: Prometheus text with per-route requests and latency, queue depth, heartbeat age."""

from __future__ import annotations

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from iktipet.core.tasks import enqueue
from iktipet.ops.jobs import purge_expired_sessions
from iktipet.ops.worker import beat

pytestmark = pytest.mark.django_db


def scrape(client, **headers) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_request_count_and_latency_histogram_by_route(client):
    before = scrape(client)
    client.get("/")
    client.get("/")
    client.get("/tjenester/")
    after = scrape(client)

    count = "iktipet_http_requests_total"
    assert (
        value(after, count, route="front", method="GET", status="200")
        - value(before, count, route="front", method="GET", status="200")
        == 2
    )
    assert (
        value(after, count, route="tjenester/", method="GET", status="200")
        - value(before, count, route="tjenester/", method="GET", status="200")
        == 1
    )
    histogram = "iktipet_http_request_duration_seconds"
    assert (
        value(after, f"{histogram}_count", route="front", method="GET")
        - value(before, f"{histogram}_count", route="front", method="GET")
        == 2
    )
    assert (histogram + "_bucket", (("le", "+Inf"), ("method", "GET"), ("route", "front"))) in after


def test_unknown_paths_share_one_route_label(client):
    client.get("/finnes-ikke-9f3a1/")
    samples = scrape(client)
    assert value(
        samples, "iktipet_http_requests_total", route="unmatched", method="GET", status="404"
    )
    assert not any("9f3a1" in str(labels) for _, labels in samples)


def test_task_queue_depth_by_queue(client):
    assert value(scrape(client), "iktipet_task_queue_depth", queue="periodic") == 0
    enqueue(purge_expired_sessions)
    enqueue(purge_expired_sessions)
    samples = scrape(client)
    assert value(samples, "iktipet_task_queue_depth", queue="periodic") == 2
    assert value(samples, "iktipet_task_queue_depth", queue="default") == 0
    assert value(samples, "iktipet_database_up") == 1


def test_worker_heartbeat_age(client):
    assert value(scrape(client), "iktipet_worker_heartbeat_age_seconds") == -1
    beat("worker-1", timezone.now())
    age = value(scrape(client), "iktipet_worker_heartbeat_age_seconds")
    assert 0 <= age < 60


def test_metrics_token_is_required_when_configured(client, settings):
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    missing = client.get("/metrics")
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 401
    assert b"iktipet_" not in wrong.content
    samples = scrape(client, HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert ("iktipet_worker_heartbeat_age_seconds", ()) in samples


def test_metrics_are_open_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 200
