"""A waitlist per slot: a full time can be waited for; a place freed by a cancel, a lapsed
hold or a rejection is held for the first in line for the resource's setting, and they are
told; if they let it lapse, the next in line gets it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail

from iktipet.booking import timetable
from iktipet.booking.models import Reservation, Slot, WaitlistEntry
from iktipet.booking.services import (
    cancel_booking,
    confirm_reservation,
    decide_booking,
    expire_holds,
    hold_slot,
)
from iktipet.booking.services.waitlist import join_waitlist, leave_waitlist, position
from iktipet.core.errors import ActionRefused
from iktipet.messaging.models import Notification
from iktipet.messaging.tasks import send_notification
from support.booking import make_resource
from support.messaging import make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 8, 7, 30, tzinfo=UTC)
TEN = timetable.local_instant(date(2027, 2, 9), timetable.time(10))


@pytest.fixture
def clock():
    with mock.patch("iktipet.booking.clock.now", return_value=NOW) as patched:
        yield patched


@pytest.fixture
def desk(agencies, offline_settings, clock):
    return make_resource(
        agencies["bymiljoetaten"], slug="skranke", capacity=1, waitlist_hold_minutes=90
    )


def _user(name):
    return make_user(name, email=f"{name}@example.no")


def _booked(desk, user):
    return confirm_reservation(hold_slot(desk, user=user, starts_at=TEN), user=user)


def test_a_cancel_offers_the_place_to_the_first_in_line_then_the_next(desk, clock):
    anne, bo, cato = _user("anne"), _user("bo"), _user("cato")
    with pytest.raises(ActionRefused, match="ledig plass"):
        join_waitlist(desk, user=bo, starts_at=TEN)  # not full: book it instead
    booking = _booked(desk, anne)
    with pytest.raises(ActionRefused):
        join_waitlist(desk, user=anne, starts_at=TEN)  # her own time
    first = join_waitlist(desk, user=bo, starts_at=TEN)
    second = join_waitlist(desk, user=cato, starts_at=TEN)
    assert join_waitlist(desk, user=bo, starts_at=TEN) == first  # twice: the same place
    assert (position(first), position(second)) == (1, 2)

    cancel_booking(booking, user=anne, sequence=booking.sequence)
    first.refresh_from_db()
    offered = first.reservation
    assert first.status == "offered" and offered.user == bo and offered.status == "held"
    assert offered.held_until == NOW + timedelta(minutes=90)
    assert Slot.objects.get().taken == 1  # held for Bo: nobody else can take it
    with pytest.raises(ActionRefused):
        hold_slot(desk, user=_user("dina"), starts_at=TEN)
    notice = Notification.objects.get(event="booking.waitlist_offer")
    assert notice.recipient_user == bo
    assert send_notification.call(str(notice.pk)) == "sent"
    (message,) = [m for m in mail.outbox if m.to == ["bo@example.no"]]
    assert "En plass er ledig for deg" in message.subject
    assert f"/timebestilling/bestilling/{offered.pk}/bekreft/" in message.body

    # Bo does not answer: the sweep lets the hold lapse and Cato is offered it.
    later = NOW + timedelta(minutes=91)
    clock.return_value = later
    assert expire_holds(later) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "lapsed" and second.status == "offered"
    assert second.reservation.user == cato and Slot.objects.get().taken == 1
    confirm_reservation(second.reservation, user=cato)
    assert Reservation.objects.get(pk=second.reservation.pk).status == "confirmed"


def test_a_rejection_and_a_lapsed_hold_free_places_too(desk, clock):
    desk.needs_approval = True
    desk.save()
    anne, bo = _user("anne"), _user("bo")
    pending = _booked(desk, anne)
    entry = join_waitlist(desk, user=bo, starts_at=TEN)
    decide_booking(pending, user=_user("sara"), approve=False)
    entry.refresh_from_db()
    assert entry.status == "offered" and entry.reservation.user == bo


def test_a_hold_that_lapses_in_the_slot_goes_to_the_waitlist_not_the_newcomer(desk, clock):
    anne, bo = _user("anne"), _user("bo")
    hold_slot(desk, user=anne, starts_at=TEN)  # held, not confirmed
    entry = join_waitlist(desk, user=bo, starts_at=TEN)
    clock.return_value = NOW + timedelta(minutes=11)  # Anne's hold has lapsed, unswept
    with pytest.raises(ActionRefused):
        hold_slot(desk, user=_user("cato"), starts_at=TEN)
    # The newcomer's refused transaction undid its sweep; the periodic one offers it.
    assert expire_holds(NOW + timedelta(minutes=11)) == 1
    entry.refresh_from_db()
    assert entry.status == "offered" and entry.reservation.user == bo
    assert not Reservation.objects.filter(user__username="cato").exists()


def test_leaving_the_waitlist(desk):
    anne, bo = _user("anne"), _user("bo")
    booking = _booked(desk, anne)
    entry = join_waitlist(desk, user=bo, starts_at=TEN)
    leave_waitlist(entry, user=anne)  # not hers: nothing happens
    entry.refresh_from_db()
    assert entry.status == "waiting"
    leave_waitlist(entry, user=bo)
    cancel_booking(booking, user=anne, sequence=booking.sequence)
    entry.refresh_from_db()
    assert entry.status == "left" and Slot.objects.get().taken == 0
    assert not WaitlistEntry.objects.filter(status="offered").exists()
