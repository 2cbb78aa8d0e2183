"""Housekeeping: expired codes and tokens, and logins no session can outlive."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from oauth2_provider.models import clear_expired

from iktipet.core.tasks import background
from iktipet.ops.periodic import every
from iktipet.testid.models import Login

# ID-porten's single sign-on lasts at most 120 minutes; a day is ample.
LOGIN_RETENTION = timedelta(days=1)


def purge_expired_now() -> int:
    """Delete expired codes and tokens, and old logins. Returns the logins deleted."""
    clear_expired()
    deleted, _ = Login.objects.filter(
        authenticated_at__lt=timezone.now() - LOGIN_RETENTION
    ).delete()
    return deleted


@every(timedelta(hours=1), name="testid.purge_expired")
@background(queue_name="periodic")
def purge_expired() -> int:
    if not settings.TESTID_ENABLED:
        return 0
    return purge_expired_now()
