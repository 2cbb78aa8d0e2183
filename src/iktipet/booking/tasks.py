"""Periodic work of the booking app."""

from __future__ import annotations

from datetime import timedelta

from iktipet.core.tasks import background
from iktipet.ops.periodic import every


@every(timedelta(minutes=1), name="booking.expire_holds")
@background(queue_name="periodic")
def expire_holds() -> int:
    """Lapsed holds give back their places (a slot asked for does this at once as well)."""
    from iktipet.booking.services import expire_holds as expire

    return expire()


@every(timedelta(minutes=10), name="booking.send_reminders")
@background(queue_name="periodic")
def send_reminders() -> int:
    from iktipet.booking.services import send_due_reminders

    return send_due_reminders()
