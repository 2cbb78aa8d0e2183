"""Writes of the booking app, one function per action (see each module)."""

from iktipet.booking.services.changes import (
    cancel_booking,
    decide_booking,
    mark_no_show,
    reschedule_booking,
)
from iktipet.booking.services.holds import (
    confirm_reservation,
    expire_holds,
    hold_slot,
    release_hold,
)
from iktipet.booking.services.staff import add_closure, rotate_feed_token, send_due_reminders

__all__ = [
    "add_closure",
    "cancel_booking",
    "confirm_reservation",
    "decide_booking",
    "expire_holds",
    "hold_slot",
    "mark_no_show",
    "release_hold",
    "reschedule_booking",
    "rotate_feed_token",
    "send_due_reminders",
]
