"""The booking app's clock: one place to ask the time, so tests can set it for booking
alone (moving Django's clock would also expire the test's login session)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
