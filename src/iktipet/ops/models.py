"""State the operations layer keeps: worker heartbeats and the periodic-job schedule."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("arbeiderprosess")
        verbose_name_plural = _("arbeiderprosesser")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.last_seen:%H:%M:%S})"


class PeriodicJob(models.Model):
    """When a periodic job is next due; claimed by a conditional update so one worker runs it."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("periodisk jobb")
        verbose_name_plural = _("periodiske jobber")

    def __str__(self) -> str:
        return self.name
