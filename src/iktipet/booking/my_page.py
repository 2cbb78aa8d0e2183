"""The booking section of Min side: the person's coming bookings, with a link to book."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from iktipet.accounts.my_page import my_page_section, rows_if_any

LIMIT = 20
_BOOKABLE_KEY = "booking:min-side:bookable:v1"


def _anything_bookable() -> bool:
    """Whether any resource takes bookings (the section's "Bestill time" link). Public data
    that changes when an admin opens a resource: cached for a minute, as the agency list is,
    so Min side spends no query on it (issue 13)."""
    cached = cache.get(_BOOKABLE_KEY)
    if cached is None:
        from iktipet.booking.selectors import resources_open_for_booking

        cached = resources_open_for_booking().exists()
        cache.set(_BOOKABLE_KEY, cached, 60)
    return bool(cached)


@my_page_section("booking/_min_side.html", order=22)
def bookings_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    from iktipet.booking.selectors import rentals_for_person, upcoming_for_person

    return {
        # A weekly rental's dates are shown as the one request they belong to.
        "bookings": rows_if_any(
            upcoming_for_person(request.user).filter(rental__isnull=True), LIMIT
        ),
        "rentals": rows_if_any(rentals_for_person(request.user), LIMIT),
        "resources": _anything_bookable(),
    }
