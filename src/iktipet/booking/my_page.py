"""The booking section of Min side: the person's coming bookings, with a link to book."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from iktipet.accounts.my_page import my_page_section

LIMIT = 20


@my_page_section("booking/_min_side.html", order=22)
def bookings_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    from iktipet.booking.selectors import (
        rentals_for_person,
        resources_open_for_booking,
        upcoming_for_person,
    )

    return {
        # A weekly rental's dates are shown as the one request they belong to.
        "bookings": list(upcoming_for_person(request.user).filter(rental__isnull=True)[:LIMIT]),
        "rentals": list(rentals_for_person(request.user)[:LIMIT]),
        "resources": list(resources_open_for_booking()[:10]),
    }
