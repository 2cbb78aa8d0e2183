"""A time of a season cancelled by staff: the citizen pays only for what they get.

A season has one claim for the request, not one a time (services.rental). When staff cancel
one of its times, a paid claim gives back that time's share of its date's price through
payments' refund (provider, history, audit, the payer told), once, and never more than is
left to refund; a claim not yet paid is rebuilt from the times still booked (cancelled when
none is left). The citizen's page offers no cancel or move of a season's time, which the
server refuses (changes._not_one_date_of_a_season)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from unittest import mock

import pytest

from iktipet.accounts.parties import ORGANISATION, ActingParty
from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.booking import rental
from iktipet.booking.models import RentalRequest, Reservation
from iktipet.booking.services import cancel_booking
from iktipet.booking.services.paid import BookingPayable
from iktipet.booking.services.refunds import settle_cancelled
from iktipet.booking.services.rental import decide_rental, request_rental
from iktipet.core.errors import ActionRefused
from iktipet.core.models import AuditEvent
from iktipet.messaging.models import Notification
from iktipet.payments import services as payments
from iktipet.payments.models import PaymentOrder, Refund
from iktipet.payments.models import TestbankPayment as BankPayment
from support.booking import make_gym, request_season
from support.messaging import make_user
from support.payments import approve, run_worker

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 8, 7, 30, tzinfo=UTC)
GRILL = ActingParty(ORGANISATION, "310000019", "Testgrillen Restaurant AS")  # pays
PRICE = 15500  # kr 155 an hour


@pytest.fixture(autouse=True)
def frozen():
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        yield


@pytest.fixture
def bank(offline_settings):
    offline_settings.PAYMENT_PROVIDERS = ["testbank"]
    offline_settings.TESTBANK_WEBHOOK_DELAY_SECONDS = 0
    return offline_settings


def _season(agencies, *, slot_minutes=60, ends=time(19)):
    """Every Tuesday in March 2027 (5 dates) from 18:00 for GRILL, approved: its claim."""
    person, request = request_season(agencies, slot_minutes=slot_minutes, ends=ends)
    decide_rental(request, user=make_user("sara", kind="staff"), approve=True)
    request.refresh_from_db()
    return person, request, PaymentOrder.objects.get()


def _pay(order, person):
    payments.start_payment(
        order, provider="testbank", user=person, party=GRILL, base_url="https://iktipet.test/"
    )
    approve(order)
    payments.refresh_from_provider(order)
    payments.capture(order)
    run_worker()
    order.refresh_from_db()
    assert order.state == "captured" and order.captured_ore == order.amount_ore


def _times(request):
    return list(Reservation.objects.filter(rental=request).order_by("starts_at"))


def _staff_cancel(reservation, staff):
    reservation.refresh_from_db()
    cancel_booking(
        reservation, user=staff, sequence=reservation.sequence, by_staff=True, reason="Eksamen"
    )
    run_worker()


def test_staff_cancelling_one_date_of_a_paid_season_refunds_that_dates_share(
    client, agencies, bank
):
    person, request, order = _season(agencies)
    _pay(order, person)
    assert order.captured_ore == 5 * PRICE
    staff = sign_in_staff(client, [("utdanningsetaten", "case_worker")])
    first = _times(request)[0]
    response = client.post(f"/timebestilling/saksbehandling/bestilling/{first.pk}/avbestill/")
    run_worker()
    assert response.status_code == 302
    share = rental.price_per_date(PRICE, time(18), time(19))
    refund = Refund.objects.get()
    assert (refund.amount_ore, refund.state, refund.created_by) == (share, "done", staff)
    # Asked of the provider, and reconciled on the order (which stays paid for the rest).
    assert BankPayment.objects.get().refunded_ore == share
    order.refresh_from_db()
    assert (order.state, order.refunded_ore) == ("captured", share)
    assert order.history.filter(name="refunded").exists()
    audited = AuditEvent.objects.get(action="booking.refunded")
    assert audited.details["amount_ore"] == share
    assert audited.details["rule"] == "booking.cancelled_by_agency"
    # The citizen is told of the time and of the money coming back.
    assert Notification.objects.get(event="booking.cancelled").context["amount_ore"] == str(share)
    assert Notification.objects.filter(event="payment.refunded").count() == 1


def test_a_part_of_a_date_refunds_what_the_date_costs_less(agencies, bank):
    # 20-minute times, 18:00-19:20: a date is 4/3 h (206.67 kr), each time its part of it.
    person, request, order = _season(agencies, slot_minutes=20, ends=time(19, 20))
    _pay(order, person)
    staff = make_user("sara2", kind="staff")
    day = _times(request)[:4]
    _staff_cancel(day[0], staff)
    assert Refund.objects.get().amount_ore == (
        rental.price_for_minutes(PRICE, 80) - rental.price_for_minutes(PRICE, 60)
    )
    for reservation in day[1:]:
        _staff_cancel(reservation, staff)
    # The whole date cancelled, time by time, gives back exactly what the date cost.
    order.refresh_from_db()
    assert order.refunded_ore == rental.price_per_date(PRICE, time(18), time(19, 20)) == 20667


def test_cancelling_a_date_twice_refunds_it_once(agencies, bank):
    person, request, order = _season(agencies)
    _pay(order, person)
    staff = make_user("sara2", kind="staff")
    first = _times(request)[0]
    sequence = first.sequence
    _staff_cancel(first, staff)
    with pytest.raises(ActionRefused):  # the same press again (another tab): stale
        cancel_booking(first, user=staff, sequence=sequence, by_staff=True)
    first.refresh_from_db()
    settle_cancelled(first, user=staff, now=NOW, by_agency=True)  # a retried settle
    run_worker()
    order.refresh_from_db()
    assert Refund.objects.count() == 1 and order.refunded_ore == PRICE
    assert BankPayment.objects.get().refunded_ore == PRICE
    assert Notification.objects.filter(event="payment.refunded").count() == 1


def test_never_more_than_is_left_to_refund(client, agencies, bank):
    person, request, order = _season(agencies)
    _pay(order, person)
    finance = make_user("fin", kind="staff")
    # Finance gave most of it back already (a goodwill refund, say).
    payments.refund(
        order,
        5 * PRICE - 1000,
        user=finance,
        reason="Avtalt med leietaker",
        by_rule="test.goodwill",
    )
    _staff_cancel(_times(request)[0], make_user("sara2", kind="staff"))
    order.refresh_from_db()
    assert order.refunded_ore == order.captured_ore and order.state == "refunded"
    assert list(Refund.objects.values_list("amount_ore", flat=True)) == [5 * PRICE - 1000, 1000]


def test_cancelling_every_date_of_a_paid_season_refunds_all_that_was_paid(agencies, bank):
    person, request, order = _season(agencies)
    _pay(order, person)
    staff = make_user("sara2", kind="staff")
    for reservation in _times(request):
        _staff_cancel(reservation, staff)
    order.refresh_from_db()
    assert (order.state, order.refunded_ore) == ("refunded", 5 * PRICE)
    assert BankPayment.objects.get().refunded_ore == 5 * PRICE
    assert sorted(Refund.objects.values_list("amount_ore", flat=True)) == [PRICE] * 5


def test_an_unpaid_claim_is_rebuilt_from_the_times_still_booked(agencies, bank):
    _person, request, order = _season(agencies)
    assert order.amount_ore == 5 * PRICE
    _staff_cancel(_times(request)[0], make_user("sara2", kind="staff"))
    order.refresh_from_db()
    request.refresh_from_db()
    line = order.lines.get()
    assert (line.quantity, line.unit_price_ore) == (4, PRICE)
    assert order.amount_ore == request.total_ore == 4 * PRICE
    assert order.title.endswith("4 datoer") and order.state == "open"
    assert not Refund.objects.exists()
    BookingPayable().on_authorized(order)  # the rebuilt claim can be paid


def test_an_unpaid_claim_with_no_time_left_is_cancelled(agencies, bank):
    _person, request, order = _season(agencies)
    staff = make_user("sara2", kind="staff")
    for reservation in _times(request):
        _staff_cancel(reservation, staff)
    order.refresh_from_db()
    request.refresh_from_db()
    assert order.state == "cancelled" and request.total_ore == 0
    assert not Refund.objects.exists()
    assert not PaymentOrder.objects.exclude(state="cancelled").exists()


def test_a_reserved_payment_is_let_go_and_the_rest_claimed_anew(agencies, bank):
    person, request, order = _season(agencies)
    payments.start_payment(
        order, provider="testbank", user=person, party=GRILL, base_url="https://iktipet.test/"
    )
    approve(order)
    payments.refresh_from_provider(order)
    order.refresh_from_db()
    assert order.state == "authorized"  # reserved at the bank, not yet taken
    _staff_cancel(_times(request)[0], make_user("sara2", kind="staff"))
    order.refresh_from_db()
    request.refresh_from_db()
    assert order.state == "cancelled"
    claim = PaymentOrder.objects.exclude(state="cancelled").get()
    assert claim.amount_ore == request.total_ore == 4 * PRICE and claim.state == "open"
    assert BankPayment.objects.get().captured_ore == 0


def test_the_citizens_page_offers_no_cancel_or_move_of_a_seasons_time(client, agencies, bank):
    gym = make_gym(agencies, price_ore=PRICE)
    person = sign_in_citizen(client, acting_for=GRILL)
    request = request_rental(
        gym,
        user=person.user,
        party=GRILL,
        weekday=1,
        starts=time(18),
        ends=time(19),
        first=date(2027, 3, 1),
        last=date(2027, 3, 31),
    )
    first = _times(request)[0]
    html = client.get(f"/timebestilling/bestilling/{first.pk}/").content.decode()
    assert f"/timebestilling/bestilling/{first.pk}/avbestill/" not in html
    assert f"/timebestilling/bestilling/{first.pk}/flytt/" not in html
    assert f'href="/timebestilling/leie/{request.pk}/"' in html
    moved = client.get(f"/timebestilling/bestilling/{first.pk}/flytt/")
    assert moved.status_code == 302 and moved["Location"].endswith(f"/bestilling/{first.pk}/")
    assert RentalRequest.objects.get().status == "pending"


def test_a_refund_the_provider_refused_is_not_made_or_claimed_again(agencies, bank):
    from iktipet.payments.providers.base import ProviderRefused
    from iktipet.payments.providers.testbank import TestbankProvider

    person, request, order = _season(agencies)
    _pay(order, person)
    staff = make_user("sara2", kind="staff")
    first = _times(request)[0]
    refused = ProviderRefused("no", code="test", status=400)
    with mock.patch.object(TestbankProvider, "refund", side_effect=refused):
        with pytest.raises(ActionRefused):  # staff are told, as for any refused refund
            _staff_cancel(first, staff)
        first.refresh_from_db()
        assert settle_cancelled(first, user=staff, now=NOW, by_agency=True) == 0
    order.refresh_from_db()
    assert order.refunded_ore == 0 and Refund.objects.get().state == "failed"
    assert not AuditEvent.objects.filter(action="booking.refunded").exists()
