"""The booking section of Min side: the person's coming bookings, with a link to book."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.signals import setting_changed
from django.db.models import Model
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from iktipet.accounts.my_page import SectionQuery, my_page_query, my_page_section, section_rows

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


def _now(request: HttpRequest) -> Any:
    """One "now" for both of the section's queries (as both were asked with it)."""
    from iktipet.booking import clock

    memo = getattr(request, "_iktipet_min_side_booking_now", None)
    if memo is None:
        memo = clock.now()
        setattr(request, "_iktipet_min_side_booking_now", memo)  # noqa: B010  (a memo)
    return memo


# Read with SQL compiled once per connection (issue 13); the parameters in the SQL's order,
# as the selectors filter (keyword conditions go in by name).


@my_page_query("booking.bookings")
def _bookings_query(request: HttpRequest) -> SectionQuery | None:
    """The coming bookings; a weekly rental's dates are shown as the one request they
    belong to."""
    from iktipet.booking.models import Reservation
    from iktipet.booking.selectors import upcoming_for_person

    user, now = request.user, _now(request)
    if user.pk is None:
        return None
    live = (Reservation.Status.CONFIRMED, Reservation.Status.PENDING)
    return SectionQuery(
        Reservation,
        "booking.min_side.bookings",
        lambda using: upcoming_for_person(user, now=now).using(using).filter(rental__isnull=True),
        _params(
            Reservation,
            ("user", user.pk),
            ("ends_at", now),
            *(("status", status) for status in live),
        ),
    )


@my_page_query("booking.rentals")
def _rentals_query(request: HttpRequest) -> SectionQuery | None:
    from iktipet.booking import timetable
    from iktipet.booking.models import RentalRequest
    from iktipet.booking.selectors import rentals_for_person

    user, now = request.user, _now(request)
    if user.pk is None:
        return None
    wanted = (RentalRequest.Status.PENDING, RentalRequest.Status.APPROVED)
    return SectionQuery(
        RentalRequest,
        "booking.min_side.rentals",
        lambda using: rentals_for_person(user, now=now).using(using),
        _params(
            RentalRequest,
            ("last_date", timetable.today_local(now)),
            *(("status", status) for status in wanted),
            ("user", user.pk),
        ),
    )


#: Per (language, script prefix, whether anything is bookable): the section with no bookings.
_empty: dict[tuple[str | None, str, bool], SafeString] = {}


@receiver(setting_changed)
def _forget_empty(**_: Any) -> None:
    _empty.clear()


def empty_html(bookable: bool) -> SafeString:
    """The section as ``booking/_min_side.html`` writes it for no bookings and no rentals
    (most people), the same for everyone in a language: made once per process (issue 13)."""
    key = (get_language(), get_script_prefix(), bookable)
    found = _empty.get(key)
    if found is None:
        heading, none = _("Mine timer"), _("Du har ingen kommende timer.")
        book = ""
        if bookable:
            label = _("Bestill time")
            book = (
                f'<p class="ds-paragraph"><a class="ds-link"'
                f' href="{escape(reverse("booking:index"))}">{label}</a></p>'
            )
        found = _empty[key] = mark_safe(  # noqa: S308 (our own text)
            '<section class="ds-card accounts-section" data-variant="tinted"'
            ' aria-labelledby="min-side-booking">\n'
            f'  <h2 class="ds-heading" data-size="sm" id="min-side-booking">{heading}</h2>\n'
            f'  <p class="ds-paragraph">{none}</p>\n'
            "  \n"
            f"  {book}\n"
            "</section>\n"
        )
    return found


@my_page_section("booking/_min_side.html", order=22)
def bookings_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    bookings = section_rows(request, "booking.bookings", LIMIT)
    rentals = section_rows(request, "booking.rentals", LIMIT)
    bookable = _anything_bookable()
    if not bookings and not rentals:
        return {"html": empty_html(bookable)}
    return {"bookings": bookings, "rentals": rentals, "resources": bookable}
