"""What /readyz and /metrics ask: is the database there, migrated, and is a worker alive."""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Max
from django.utils import timezone

_migrations_ok = False


def database_ok() -> str | None:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means "not ready"
        return f"database unreachable: {type(exc).__name__}"
    return None


def migrations_ok() -> str | None:
    global _migrations_ok
    if _migrations_ok:  # migrations cannot be un-applied under a running process we care about
        return None
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return f"{len(plan)} migration(s) not applied"
    _migrations_ok = True
    return None


def worker_heartbeat_age() -> float | None:
    from iktipet.ops.models import WorkerHeartbeat

    last = WorkerHeartbeat.objects.aggregate(last=Max("last_seen"))["last"]
    if last is None:
        return None
    return max(0.0, (timezone.now() - last).total_seconds())


def worker_ok() -> str | None:
    age = worker_heartbeat_age()
    if age is None:
        return "no worker heartbeat"
    if age > settings.WORKER_HEARTBEAT_MAX_AGE:
        return f"worker heartbeat is {int(age)} s old"
    return None


def queue_depth() -> dict[str, int]:
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.ready().values("queue_name").annotate(n=Count("id"))
    depth = {name: 0 for name in settings.TASKS["default"].get("QUEUES", ["default"])}
    depth.update({row["queue_name"]: row["n"] for row in rows})
    return depth


def readiness_problems() -> list[str]:
    problem = database_ok()
    if problem:
        return [problem]
    try:
        # Migrations first: without them the heartbeat table may not exist yet.
        problem = migrations_ok()
        if problem:
            return [problem]
        problem = worker_ok()
    except Exception as exc:
        return [f"database error: {type(exc).__name__}"]
    return [problem] if problem else []
