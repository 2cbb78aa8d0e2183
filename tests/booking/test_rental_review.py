"""Review of the weekly rentals (issue 14 work): what a season's claim costs, what happens
to one of its dates on its own, and dates the form cannot take."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from unittest import mock

import pytest

from iktipet.accounts.parties import ORGANISATION, ActingParty
from iktipet.accounts.testing import sign_in_citizen
from iktipet.booking.models import RentalRequest, Reservation
from iktipet.booking.services import cancel_booking, reschedule_booking
from iktipet.booking.services.paid import BookingPayable
from iktipet.booking.services.rental import decide_rental
from iktipet.core.errors import ActionRefused
from iktipet.payments.models import PaymentOrder
from support.booking import make_gym, request_season
from support.messaging import make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 8, 7, 30, tzinfo=UTC)
GRILL = ActingParty(ORGANISATION, "310000019", "Testgrillen Restaurant AS")  # pays


@pytest.fixture(autouse=True)
def frozen():
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        yield


def _season(agencies, *, slot_minutes=60, ends=time(19)):
    return request_season(agencies, slot_minutes=slot_minutes, ends=ends)


def test_a_season_of_part_hours_is_claimed_at_its_total_and_can_be_paid(agencies, offline_settings):
    # 20-minute slots: 18:00-19:20 is 4/3 hours at 155 kr, every Tuesday in March.
    _person, request = _season(agencies, slot_minutes=20, ends=time(19, 20))
    assert request.total_ore == 5 * 20667  # 155 kr × 4/3 h, to the nearest øre, × 5 dates
    decide_rental(request, user=make_user("sara", kind="staff"), approve=True)
    request.refresh_from_db()
    order = PaymentOrder.objects.get()
    line = order.lines.get()
    assert line.quantity * line.unit_price_ore == order.amount_ore
    # What the request says it costs is what is claimed ...
    assert order.amount_ore == request.total_ore
    # ... so that paying the claim is not refused (and the money sent back).
    BookingPayable().on_authorized(order)


def test_one_date_of_a_season_is_not_cancelled_alone_while_it_is_claimed(
    agencies, offline_settings
):
    person, request = _season(agencies)
    first = Reservation.objects.filter(rental=request).order_by("starts_at").first()
    # Cancelled alone, the date would be given back to others while the season's claim
    # (raised for every date on approval) still charges for it, and nothing is refunded:
    # the claim belongs to the request, not to the date.
    with pytest.raises(ActionRefused) as refused:
        cancel_booking(first, user=person, sequence=first.sequence)
    assert refused.value.code == "rental"
    with pytest.raises(ActionRefused) as refused:  # nor moved to another time on its own
        reschedule_booking(
            first,
            user=person,
            sequence=first.sequence,
            starts_at=first.starts_at + timedelta(hours=1),
        )
    assert refused.value.code == "rental"
    decide_rental(request, user=make_user("sara", kind="staff"), approve=True)
    order = PaymentOrder.objects.get()
    assert order.amount_ore == request.total_ore == 5 * 15500
    assert Reservation.objects.filter(rental=request, status="confirmed").count() == 5


def test_the_booking_page_refuses_to_cancel_a_date_of_a_season(client, agencies, offline_settings):
    gym = make_gym(agencies)
    sign_in_citizen(client, acting_for=GRILL)
    form = {
        "weekday": "1",
        "starts": "18:00",
        "ends": "19:00",
        "first_date": "2027-03-01",
        "last_date": "2027-03-31",
        "note": "",
        "action": "send",
    }
    assert client.post(f"/timebestilling/{gym.slug}/leie/", form).status_code == 302
    request = RentalRequest.objects.get()
    first = Reservation.objects.filter(rental=request).order_by("starts_at").first()
    response = client.post(
        f"/timebestilling/bestilling/{first.pk}/avbestill/", {"sequence": first.sequence}
    )
    first.refresh_from_db()
    assert response.status_code == 400 and first.status == "pending"


@pytest.mark.parametrize(
    ("first_date", "last_date"),
    [
        ("9999-12-01", "9999-12-31"),  # the next week is past the calendar's end
        ("0001-01-01", "9999-12-31"),  # 500 000 weeks walked before "at most 53"
    ],
)
def test_dates_at_the_calendar_ends_are_refused_not_a_500(
    client, agencies, offline_settings, first_date, last_date
):
    gym = make_gym(agencies)
    sign_in_citizen(client)
    form = {
        "weekday": "1",
        "starts": "18:00",
        "ends": "20:00",
        "first_date": first_date,
        "last_date": last_date,
        "note": "Innebandy",
        "action": "check",
    }
    page = client.post(f"/timebestilling/{gym.slug}/leie/", form)
    if first_date.startswith("9999"):
        # Checked date by date: beyond the booking horizon, none is free.
        assert page.status_code == 200 and "Ledig" not in page.content.decode()
    else:
        assert page.status_code == 400
        assert 'id="last_date-error"' in page.content.decode()
    sent = client.post(f"/timebestilling/{gym.slug}/leie/", {**form, "action": "send"})
    assert sent.status_code == 400 and "Innebandy" in sent.content.decode()
    assert not RentalRequest.objects.exists()


@pytest.mark.parametrize(
    ("starts", "ends"),
    [("18:00+01:00", "20:00"), ("18:00", "20:00:30"), ("18:00:00.5", "20:00")],
)
def test_a_time_with_a_zone_or_seconds_is_refused_on_its_field(
    client, agencies, offline_settings, starts, ends
):
    gym = make_gym(agencies)
    sign_in_citizen(client)
    form = {
        "weekday": "1",
        "starts": starts,
        "ends": ends,
        "first_date": "2027-03-01",
        "last_date": "2027-03-31",
        "note": "Innebandy",
    }
    for action in ("check", "send"):
        page = client.post(f"/timebestilling/{gym.slug}/leie/", {**form, "action": action})
        html = page.content.decode()
        assert page.status_code == 400 and "Innebandy" in html
        field = "starts" if starts != "18:00" else "ends"
        assert f'id="{field}-error"' in html
    assert not RentalRequest.objects.exists()


def test_a_time_the_agency_cancelled_before_approval_is_not_claimed(agencies, offline_settings):
    _person, request = _season(agencies)
    staff = make_user("sara", kind="staff")
    first = Reservation.objects.filter(rental=request).order_by("starts_at").first()
    cancel_booking(first, user=staff, sequence=first.sequence, by_staff=True, reason="Eksamen")
    decide_rental(request, user=staff, approve=True)
    request.refresh_from_db()
    order = PaymentOrder.objects.get()
    # Four dates are booked, four are claimed (the claim and the request agree, so it can
    # be paid).
    assert Reservation.objects.filter(rental=request, status="confirmed").count() == 4
    assert order.amount_ore == request.total_ore == 4 * 15500
    assert order.title.endswith("4 datoer")
    BookingPayable().on_authorized(order)
