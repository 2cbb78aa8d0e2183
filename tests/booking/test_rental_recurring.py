"""Leie av skolelokaler: a weekly request (every Thursday 18–20 this spring) is one request
with each date checked (free, closed, holiday, taken); staff approve or reject it as one;
the approval raises one claim (price per hour × hours × dates) on the organisation, and a
child and youth organisation (by Enhetsregisteret, the resource's rule) pays nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from unittest import mock

import pytest

from iktipet.accounts.parties import ORGANISATION, ActingParty
from iktipet.booking import rental, timetable
from iktipet.booking.models import (
    Closure,
    RentalDate,
    RentalRequest,
    Reservation,
    Resource,
    Slot,
)
from iktipet.booking.services import confirm_reservation, hold_slot
from iktipet.booking.services.paid import BookingPayable
from iktipet.booking.services.rental import decide_rental, preview_rental, request_rental
from iktipet.core.errors import ActionRefused
from iktipet.messaging.models import Notification
from iktipet.payments.models import PaymentOrder
from support.booking import make_resource
from support.messaging import make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 8, 7, 30, tzinfo=UTC)
THURSDAY = 3
IDRETTSLAG = ActingParty(ORGANISATION, "310000043", "Syntetisk Idrettslag Oslo")  # FLI 93.120
GRILL = ActingParty(ORGANISATION, "310000019", "Testgrillen Restaurant AS")  # AS 56.101
SPRING = {"weekday": THURSDAY, "starts": time(18), "ends": time(20)}
PERIOD = {"first": date(2027, 3, 1), "last": date(2027, 5, 14)}


@pytest.fixture(autouse=True)
def frozen():
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        yield


@pytest.fixture
def gym(agencies, offline_settings):
    resource = make_resource(
        agencies["utdanningsetaten"],
        slug="gymsal",
        capacity=1,
        hours=((18, 21),),
        weekdays=range(5),
        price_rule=Resource.PriceRule.PER_HOUR,
        price_ore=15500,
        needs_approval=True,
        horizon_days=365,
        min_notice_minutes=3 * 24 * 60,
        free_for={"org_forms": ["FLI"], "industry_codes": ["93.1", "94.9"]},
    )
    Closure.objects.create(resource=resource, date=date(2027, 4, 15), reason="Eksamen")
    # Someone else already has 22 April at 19.
    other = make_user("annen", email="annen@example.no")
    held = hold_slot(
        resource, user=other, starts_at=timetable.local_instant(date(2027, 4, 22), time(19))
    )
    confirm_reservation(held, user=other)
    return resource


def _states(request: RentalRequest) -> dict[date, str]:
    return dict(request.dates.values_list("date", "state"))


def test_each_date_is_checked_and_one_claim_raised_on_approval(gym, agencies):
    person = make_user("kari", email="kari@example.no")
    checks, exemption = preview_rental(gym, party=GRILL, **SPRING, **PERIOD)
    assert exemption == ""
    assert [c.day.day for c in checks if not c.free] == [25, 15, 22, 6]
    request = request_rental(gym, user=person, party=GRILL, **SPRING, **PERIOD)
    states = _states(request)
    assert len(states) == 11
    assert states[date(2027, 3, 25)] == "holiday"  # skjærtorsdag
    assert states[date(2027, 5, 6)] == "holiday"  # Kristi himmelfartsdag
    assert states[date(2027, 4, 15)] == "closed"
    assert states[date(2027, 4, 22)] == "full"
    assert list(states.values()).count("free") == 7
    assert request.dates.get(date=date(2027, 4, 15)).reason == "Eksamen"
    # 155 kr × 2 hours × 7 dates, from the resource, not the request.
    assert (request.total_ore, request.hours) == (217000, 2)
    held = Reservation.objects.filter(rental=request)
    assert held.count() == 14 and set(held.values_list("status", flat=True)) == {"pending"}
    assert not PaymentOrder.objects.exists()

    staff = make_user("sara", kind="staff")
    decide_rental(request, user=staff, approve=True)
    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by == staff
    assert set(held.values_list("status", flat=True)) == {"confirmed"}
    order = PaymentOrder.objects.get()
    assert (order.payable_kind, order.payable_id) == ("booking", str(request.pk))
    assert order.amount_ore == 217000 and order.party_identifier == "310000019"
    assert order.due_date == date(2027, 2, 22)  # 14 days, sooner than the first date
    BookingPayable().on_authorized(order)  # paying the claim changes nothing more
    assert (
        Notification.objects.filter(event="booking.confirmed", recipient_user=person).count() == 1
    )
    with pytest.raises(ActionRefused):  # decided once
        decide_rental(request, user=staff, approve=False)


def test_a_youth_organisation_by_the_register_pays_nothing(gym):
    person = make_user("leder", email="leder@example.no")
    request = request_rental(gym, user=person, party=IDRETTSLAG, **SPRING, **PERIOD)
    assert request.total_ore == 0 and request.price_per_hour_ore == 0
    assert "Syntetisk Idrettslag Oslo" in request.exemption and "93.120" in request.exemption
    decide_rental(request, user=make_user("sara", kind="staff"), approve=True)
    assert not PaymentOrder.objects.exists()
    # The rule is the resource's: without it the same organisation pays.
    gym.free_for = {}
    gym.save()
    assert rental.exemption_for(gym, IDRETTSLAG) == ""
    assert rental.exemption_for(gym, GRILL) == ""


def test_a_rejection_gives_every_date_back(gym):
    person = make_user("kari", email="kari@example.no")
    request = request_rental(gym, user=person, party=GRILL, **SPRING, **PERIOD)
    decide_rental(request, user=make_user("sara", kind="staff"), approve=False)
    assert set(Reservation.objects.filter(rental=request).values_list("status", flat=True)) == {
        "rejected"
    }
    freed = Slot.objects.filter(reservations__rental=request).distinct()
    assert freed.count() == 14 and all(slot.taken == 0 for slot in freed)
    assert not PaymentOrder.objects.exists()
    assert (
        Notification.objects.filter(event="booking.cancelled", recipient_user=person).count() == 1
    )


def test_bad_requests_are_refused_with_their_field(gym):
    person = make_user("kari")
    with pytest.raises(ActionRefused) as refused:
        request_rental(
            gym,
            user=person,
            party=GRILL,
            weekday=THURSDAY,
            starts=time(20),
            ends=time(18),
            first=date(2027, 3, 1),
            last=date(2027, 2, 1),
        )
    assert set(refused.value.errors) == {"ends", "last_date"}
    # Outside the opening hours every date is unavailable: nothing is sent.
    with pytest.raises(ActionRefused, match="Ingen av datoene"):
        request_rental(
            gym, user=person, party=GRILL, weekday=THURSDAY, starts=time(7), ends=time(9), **PERIOD
        )
    assert not RentalRequest.objects.exists()
    assert not RentalDate.objects.exists()
    desk = make_resource(gym.agency, slug="skranke")
    with pytest.raises(ActionRefused):
        request_rental(desk, user=person, party=GRILL, **SPRING, **PERIOD)


def test_the_demo_gym_lets_the_demo_sports_club_rent_for_free(agencies, offline_settings):
    from iktipet.booking.seed import load_gymsal

    demo = load_gymsal()
    assert "93.120" in rental.exemption_for(demo, IDRETTSLAG)
    assert rental.exemption_for(demo, GRILL) == ""
    person = ActingParty("person", "", "Kari Nordmann")
    assert rental.exemption_for(demo, person) == ""  # a person is not an organisation
