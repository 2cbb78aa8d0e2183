"""Prometheus metrics: per-route request counts and latency, task queue depth, worker heartbeat.

Under several server processes set ``PROMETHEUS_MULTIPROC_DIR`` (``iktipet serve`` does) so that
every process's counts add up in one scrape.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

REQUESTS = Counter(
    "iktipet_http_requests_total", "HTTP requests handled", ["route", "method", "status"]
)
LATENCY = Histogram(
    "iktipet_http_request_duration_seconds",
    "Time spent handling an HTTP request",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class TaskCollector(Collector):
    """Read at scrape time from the database, so every process reports the same truth."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db import DatabaseError

        from iktipet.ops.health import queue_depth, worker_heartbeat_age

        up = GaugeMetricFamily("iktipet_database_up", "1 if the database answered this scrape")
        try:
            depths = queue_depth()
            age = worker_heartbeat_age()
        except DatabaseError:
            # The request metrics are most wanted exactly when the database is down.
            up.add_metric([], 0.0)
            yield up
            return
        up.add_metric([], 1.0)
        yield up
        depth = GaugeMetricFamily(
            "iktipet_task_queue_depth", "Tasks waiting to run, by queue", labels=["queue"]
        )
        for queue, count in depths.items():
            depth.add_metric([queue], count)
        yield depth
        heartbeat = GaugeMetricFamily(
            "iktipet_worker_heartbeat_age_seconds",
            "Seconds since the freshest worker heartbeat (-1: no worker has ever run)",
        )
        heartbeat.add_metric([], -1.0 if age is None else age)
        yield heartbeat


def render_metrics() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    output = generate_latest(registry)
    tasks = CollectorRegistry()
    tasks.register(TaskCollector())
    return output + generate_latest(tasks)
