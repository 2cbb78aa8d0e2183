"""A paid seat (kunnskapsprøven): no payment, no seat. The hold becomes a booking when the
payment is authorised; a hold that lapsed during the payment is refused there, so the
payment is cancelled at the provider and never captured, and the person is told."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest

from iktipet.accounts.testing import sign_in_citizen
from iktipet.booking import timetable
from iktipet.booking.forms import slot_value
from iktipet.booking.models import Reservation, Resource, Slot
from iktipet.booking.services import expire_holds
from iktipet.payments import services as payments
from iktipet.payments.models import PaymentOrder
from support.booking import make_resource
from support.payments import approve, start

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 8, 7, 30, tzinfo=UTC)
TUESDAY_TEN = timetable.local_instant(date(2027, 2, 9), timetable.time(10))


@pytest.fixture
def exam(agencies, offline_settings):
    offline_settings.PAYMENT_PROVIDERS = ["testbank"]
    return make_resource(
        agencies["naeringsetaten"],
        slug="kunnskapsproven",
        capacity=1,
        weekdays=range(5),
        price_rule=Resource.PriceRule.PER_BOOKING,
        price_ore=40000,
        hold_minutes=15,
    )


def hold_and_go_to_payment(client, exam):
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        held = client.post(f"/timebestilling/{exam.slug}/", {"slot": slot_value(TUESDAY_TEN)})
        assert held.status_code == 302
        page = client.get(held["Location"]).content.decode()
        assert "400,00\xa0kr" in page and "Gå til betaling" in page
        # Confirming without paying is refused; the seat stays held, not booked.
        refused = client.post(held["Location"], {"action": "confirm"})
        assert Reservation.objects.get().status == "held"
        assert refused.status_code == 302 or "betales" in refused.content.decode()
        paying = client.post(held["Location"], {"action": "pay"})
    assert paying.status_code == 302 and paying["Location"].startswith("/betaling/")
    order = PaymentOrder.objects.get()
    assert (order.payable_kind, order.amount_ore) == ("booking", 40000)
    return order


def test_the_seat_is_booked_when_the_payment_is_authorised(client, exam):
    person = sign_in_citizen(client)
    order = hold_and_go_to_payment(client, exam)
    start(order, person)
    approve(order)
    with mock.patch("iktipet.booking.clock.now", return_value=NOW + timedelta(minutes=5)):
        order = payments.refresh_from_provider(order)
    assert order.state == "authorized"
    reservation = Reservation.objects.get()
    assert reservation.status == "confirmed" and reservation.price_ore == 40000
    page = client.get(f"/timebestilling/bestilling/{reservation.pk}/").content.decode()
    assert "Bekreftet" in page and "400,00\xa0kr" in page


def test_a_hold_that_lapses_during_payment_is_refused_and_the_payment_cancelled(client, exam):
    person = sign_in_citizen(client)
    order = hold_and_go_to_payment(client, exam)
    start(order, person)
    approve(order)
    with mock.patch("iktipet.booking.clock.now", return_value=NOW + timedelta(minutes=16)):
        order = payments.refresh_from_provider(order)
    assert order.state == "open"  # not authorised, so never captured
    attempt = order.attempts.get()
    assert attempt.cancel_pending  # the money reserved is given back at the provider
    reservation = Reservation.objects.get()
    assert reservation.status == "held" and reservation.held_until < NOW + timedelta(minutes=16)
    with mock.patch("iktipet.booking.clock.now", return_value=NOW + timedelta(minutes=16)):
        page = client.get(f"/timebestilling/bestilling/{reservation.pk}/").content.decode()
    assert "Tiden du holdt av, er utløpt" in page and "Bekreftet" not in page
    # The sweep gives the seat back and cancels the order that was left open.
    assert expire_holds(NOW + timedelta(minutes=16)) == 1
    reservation.refresh_from_db()
    order.refresh_from_db()
    assert reservation.status == "expired" and Slot.objects.get().taken == 0
    assert order.state == "cancelled"


def test_an_unpaid_hold_lapses_and_its_order_is_cancelled(client, exam):
    sign_in_citizen(client)
    order = hold_and_go_to_payment(client, exam)
    assert expire_holds(NOW + timedelta(minutes=16)) == 1
    order.refresh_from_db()
    assert order.state == "cancelled"
    assert Reservation.objects.get().status == "expired" and Slot.objects.get().taken == 0


def test_the_demo_loads_the_desk_and_the_exam_once(agencies):
    from iktipet.booking.demo_data import load_resources

    load_resources()
    load_resources()
    desk, exam = (
        Resource.objects.get(slug="servicetorget-bymiljoetaten"),
        Resource.objects.get(slug="kunnskapsproven-naeringsetaten"),
    )
    assert desk.price_rule == "free" and desk.rules.count() == 6
    assert (exam.price_ore, exam.rules.count(), exam.capacity) == (40000, 2, 20)
    gym = Resource.objects.get(slug="gymsal-testlia-skole")
    assert (gym.price_rule, gym.needs_approval, gym.rules.count()) == ("per_hour", True, 4)


def test_approved_premises_raise_a_claim(client, agencies, offline_settings):
    from iktipet.accounts.testing import sign_in_staff
    from iktipet.messaging.models import Notification

    gym = make_resource(
        agencies["utdanningsetaten"],
        slug="gymsal",
        capacity=1,
        weekdays=range(5),
        hours=((18, 20),),
        price_rule=Resource.PriceRule.PER_HOUR,
        price_ore=15500,
        needs_approval=True,
        cancel_deadline_hours=240,
    )
    sign_in_citizen(client)
    evening = timetable.local_instant(date(2027, 2, 9), timetable.time(18))
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        held = client.post(f"/timebestilling/{gym.slug}/", {"slot": slot_value(evening)})
        page = client.get(held["Location"]).content.decode()
        assert "155,00\xa0kr" in page and "må godkjennes" in page
        assert client.post(held["Location"], {"action": "confirm"}).status_code == 302
    reservation = Reservation.objects.get()
    assert reservation.status == "pending" and not PaymentOrder.objects.exists()
    sign_in_staff(client, [("utdanningsetaten", "case_worker")])
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        client.post(f"/timebestilling/saksbehandling/bestilling/{reservation.pk}/godkjenn/")
    reservation.refresh_from_db()
    order = PaymentOrder.objects.get()
    assert reservation.status == "confirmed"
    assert (order.amount_ore, order.due_date, order.user_id) == (
        15500,
        date(2027, 2, 8),
        reservation.user_id,
    )
    assert Notification.objects.filter(event="payment.claim").count() == 1
