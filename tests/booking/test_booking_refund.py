"""A paid booking cancelled before the resource's deadline is refunded in full through
payments as a system action (no finance role), audited, and the person told. The deadline
binds the person only: the agency cancelling after it refunds in full too."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest

from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.booking import timetable
from iktipet.booking.models import Reservation, Resource
from iktipet.booking.services import cancel_booking, hold_slot
from iktipet.booking.services.paid import start_booking_payment
from iktipet.booking.services.refunds import refund_due, settle_cancelled
from iktipet.core.errors import ActionRefused
from iktipet.core.models import AuditEvent
from iktipet.messaging.models import Notification
from iktipet.payments.models import Refund
from support.booking import make_resource
from support.payments import paid, run_worker

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 8, 7, 30, tzinfo=UTC)
THURSDAY_TEN = timetable.local_instant(date(2027, 2, 11), timetable.time(10))


@pytest.fixture
def exam(agencies, offline_settings):
    offline_settings.PAYMENT_PROVIDERS = ["testbank"]
    return make_resource(
        agencies["naeringsetaten"],
        slug="kunnskapsproven",
        weekdays=range(5),
        price_rule=Resource.PriceRule.PER_BOOKING,
        price_ore=40000,
        cancel_deadline_hours=48,
    )


def _paid_booking(client, exam):
    from iktipet.accounts.parties import myself

    person = sign_in_citizen(client)
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        held = hold_slot(exam, user=person.user, starts_at=THURSDAY_TEN)
        order = start_booking_payment(held, user=person.user, party=myself(person))
        paid(order, person)
        run_worker()
    order.refresh_from_db()
    held.refresh_from_db()
    assert (order.state, held.status) == ("captured", "confirmed")
    return person, held, order


def test_cancelled_before_the_deadline_is_refunded_in_full(client, exam):
    person, booking, order = _paid_booking(client, exam)
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        cancel_booking(booking, user=person.user, sequence=booking.sequence)
        run_worker()
    order.refresh_from_db()
    refund = Refund.objects.get()
    assert (refund.amount_ore, refund.state, refund.created_by) == (40000, "done", person.user)
    assert order.state == "refunded" and order.refunded_ore == 40000
    audited = AuditEvent.objects.filter(action="booking.refunded").get()
    assert audited.details["rule"] == "booking.cancelled_before_deadline"
    assert AuditEvent.objects.filter(action="payments.refund_requested").exists()
    cancelled = Notification.objects.get(event="booking.cancelled")
    assert cancelled.context["amount_ore"] == "40000"
    assert Notification.objects.filter(event="payment.refunded").count() == 1


def test_the_agency_cancelling_after_the_deadline_refunds_in_full(client, exam):
    _person, booking, order = _paid_booking(client, exam)
    late = THURSDAY_TEN - timedelta(hours=24)  # the person's deadline was 48 hours before
    staff = sign_in_staff(client, [("naeringsetaten", "case_worker")])
    with mock.patch("iktipet.booking.clock.now", return_value=late):
        response = client.post(f"/timebestilling/saksbehandling/bestilling/{booking.pk}/avbestill/")
        run_worker()
    assert response.status_code == 302
    assert Reservation.objects.get().status == "cancelled"
    order.refresh_from_db()
    refund = Refund.objects.get()
    assert (refund.amount_ore, refund.state, refund.created_by) == (40000, "done", staff)
    assert order.state == "refunded" and order.refunded_ore == 40000
    audited = AuditEvent.objects.get(action="booking.refunded")
    assert audited.details["rule"] == "booking.cancelled_by_agency"
    assert not AuditEvent.objects.filter(action="booking.refund_refused").exists()
    cancelled = Notification.objects.get(event="booking.cancelled")
    assert cancelled.context["amount_ore"] == "40000"
    assert Notification.objects.filter(event="payment.refunded").count() == 1


def test_the_person_cannot_cancel_after_the_deadline_and_nothing_is_refunded(client, exam):
    person, booking, order = _paid_booking(client, exam)
    late = THURSDAY_TEN - timedelta(hours=24)
    with mock.patch("iktipet.booking.clock.now", return_value=late):
        with pytest.raises(ActionRefused) as refused:
            cancel_booking(booking, user=person.user, sequence=booking.sequence)
        assert refused.value.code == "deadline"
        # The rule itself, for a caller that gets past that check: the money stays.
        assert settle_cancelled(booking, user=person.user, now=late) == 0
    order.refresh_from_db()
    assert order.state == "captured" and not Refund.objects.exists()
    assert Reservation.objects.get().status == "confirmed"
    refused_audit = AuditEvent.objects.get(action="booking.refund_refused")
    assert refused_audit.details["rule"] == "after_deadline"
    assert refund_due(booking, late, by_agency=False) == 0
    assert refund_due(booking, late, by_agency=True) == 40000
