"""The platform's own periodic jobs."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.utils import timezone

from iktipet.core.tasks import background
from iktipet.ops.periodic import every

logger = logging.getLogger(__name__)


@every(timedelta(hours=1), name="purge_expired_sessions")
@background(queue_name="periodic")
def purge_expired_sessions() -> int:
    session = apps.get_model(settings.SESSION_MODEL)
    deleted, _ = session.objects.filter(expire_date__lt=timezone.now()).delete()
    logger.info("purged expired sessions", extra={"count": deleted})
    return deleted
