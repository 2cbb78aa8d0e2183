"""The booking section of Min side: the person's coming bookings, with a link to book."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Model
from django.http import HttpRequest

from iktipet.accounts.my_page import compiled_rows_if_any, my_page_section

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


def _params(model: type[Model], *values: tuple[str, Any]) -> Any:
    """The parameters of a query on ``model`` as the database gets them: (field, value)."""
    fields = [(model._meta.get_field(name), value) for name, value in values]
    return lambda connection: [
        field.get_db_prep_value(value, connection) for field, value in fields
    ]


@my_page_section("booking/_min_side.html", order=22)
def bookings_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    from iktipet.booking import clock, timetable
    from iktipet.booking.models import RentalRequest, Reservation
    from iktipet.booking.selectors import rentals_for_person, upcoming_for_person

    user = request.user
    if user.pk is None:
        return {"bookings": [], "rentals": [], "resources": _anything_bookable()}
    now = clock.now()
    live = (Reservation.Status.CONFIRMED, Reservation.Status.PENDING)
    wanted = (RentalRequest.Status.PENDING, RentalRequest.Status.APPROVED)
    # Read with SQL compiled once per connection (issue 13); the parameters in the SQL's
    # order, as the selectors filter (keyword conditions go in by name).
    return {
        # A weekly rental's dates are shown as the one request they belong to.
        "bookings": compiled_rows_if_any(
            Reservation,
            "booking.min_side.bookings",
            lambda using: (
                upcoming_for_person(user, now=now).using(using).filter(rental__isnull=True)
            ),
            _params(
                Reservation,
                ("user", user.pk),
                ("ends_at", now),
                *(("status", status) for status in live),
            ),
            LIMIT,
        ),
        "rentals": compiled_rows_if_any(
            RentalRequest,
            "booking.min_side.rentals",
            lambda using: rentals_for_person(user, now=now).using(using),
            _params(
                RentalRequest,
                ("last_date", timetable.today_local(now)),
                *(("status", status) for status in wanted),
                ("user", user.pk),
            ),
            LIMIT,
        ),
        "resources": _anything_bookable(),
    }
