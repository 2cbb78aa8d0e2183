"""Periodic jobs: a small registry the worker consults, claimed by a conditional update."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from iktipet.core.hooks import Hooks
from iktipet.core.tasks import enqueue


@dataclass(frozen=True)
class Schedule:
    name: str
    every: timedelta
    task: Any


schedule_hooks: Hooks[Schedule] = Hooks("periodic job")


def every(interval: timedelta, name: str | None = None) -> Callable[[Any], Any]:
    """Register a task (made with ``core.tasks.background``) to be enqueued every ``interval``."""

    def decorator(task: Any) -> Any:
        key = name or task.module_path
        schedule_hooks.add(key, Schedule(key, interval, task))
        return task

    return decorator


def schedules() -> dict[str, Schedule]:
    return {hook.key: hook.value for hook in schedule_hooks.entries()}


def enqueue_due(now: Any = None) -> list[str]:
    """Enqueue each job that is due. Safe with several workers: only one wins the update."""
    from iktipet.ops.models import PeriodicJob

    now = now or timezone.now()
    started: list[str] = []
    for schedule in schedules().values():
        job, _ = PeriodicJob.objects.get_or_create(
            name=schedule.name, defaults={"next_run_at": now}
        )
        if job.next_run_at > now:
            continue
        with transaction.atomic():
            claimed = PeriodicJob.objects.filter(pk=job.pk, next_run_at=job.next_run_at).update(
                next_run_at=now + schedule.every, last_run_at=now
            )
            if claimed:
                enqueue(schedule.task)
                started.append(schedule.name)
    return started
