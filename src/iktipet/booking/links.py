"""The signed link in a confirmation: it names the booking and the version (``sequence``)
it was sent for, so a link from before a change or a cancellation no longer works."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

from iktipet.booking.models import Reservation

SALT = "iktipet.booking.manage"


def manage_token(reservation: Reservation) -> str:
    return signing.dumps([str(reservation.pk), reservation.sequence], salt=SALT, compress=True)


def manage_path(reservation: Reservation) -> str:
    return reverse("booking:manage_link", args=[manage_token(reservation)])


def read_token(token: str) -> tuple[str, int] | None:
    """``(reservation id, sequence)``, or None for a token that is not ours."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], str)
        or not isinstance(value[1], int)
    ):
        return None
    return value[0], value[1]
