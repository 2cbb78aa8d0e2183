"""Staff: the agenda, closures that cancel and tell, approvals, the secret feed — and every
booking URL against every actor (the wrong one gets 404, never someone else's booking)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from unittest import mock

import icalendar
import pytest

from iktipet.accounts.models import User
from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.booking import links, timetable
from iktipet.booking.forms import slot_value
from iktipet.booking.models import Reservation, Slot
from iktipet.booking.services import confirm_reservation, hold_slot
from iktipet.messaging.models import Notification
from support.booking import make_resource
from support.case_matrix import url_names

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 8, 7, 30, tzinfo=UTC)
TUESDAY = date(2027, 2, 9)


def at(day, hour):
    return timetable.local_instant(day, timetable.time(hour))


@pytest.fixture(autouse=True)
def frozen():
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        yield


@pytest.fixture
def desk(agencies, offline_settings):
    return make_resource(agencies["bymiljoetaten"], capacity=2, weekdays=range(5))


def booked(desk, username, hour=10, day=TUESDAY):
    user = User.objects.create(username=username, first_name="Test", last_name=username)
    reservation = hold_slot(desk, user=user, starts_at=at(day, hour), now=NOW)
    return confirm_reservation(reservation, user=user, now=NOW)


def test_agenda_by_day_and_week_for_the_agencys_staff_only(client, desk):
    booked(desk, "ada")
    sign_in_staff(client, [("bymiljoetaten", "case_worker")])
    day = client.get(f"/timebestilling/saksbehandling/{desk.slug}/?dag=2027-02-09")
    assert day.status_code == 200 and "10:00–11:00" in day.content.decode()
    assert "Test ada" in day.content.decode()
    week = client.get(f"/timebestilling/saksbehandling/{desk.slug}/?dag=2027-02-10&visning=uke")
    assert week.status_code == 200 and "Test ada" in week.content.decode()
    assert desk.name in client.get("/timebestilling/saksbehandling/").content.decode()
    sign_in_staff(client, [("naeringsetaten", "case_worker")], username="other-agency")
    assert client.get(f"/timebestilling/saksbehandling/{desk.slug}/").status_code == 404


def test_a_closure_cancels_the_days_bookings_and_tells_each_person(client, desk):
    ada, bob = booked(desk, "ada"), booked(desk, "bob", hour=11)
    other_day = booked(desk, "cid", day=date(2027, 2, 10))
    sign_in_staff(client, [("bymiljoetaten", "case_worker")])
    refused = client.post(
        f"/timebestilling/saksbehandling/{desk.slug}/stengt/", {"date": "2027-02-09", "reason": ""}
    )
    assert refused.status_code == 400 and "Skriv årsaken" in refused.content.decode()
    assert 'value="2027-02-09"' in refused.content.decode()
    done = client.post(
        f"/timebestilling/saksbehandling/{desk.slug}/stengt/",
        {"date": "2027-02-09", "reason": "Vannlekkasje"},
    )
    assert done.status_code == 302
    for reservation in (ada, bob, other_day):
        reservation.refresh_from_db()
    assert (ada.status, bob.status, other_day.status) == ("cancelled", "cancelled", "confirmed")
    cancelled = Notification.objects.filter(event="booking.cancelled")
    assert {n.recipient_user_id for n in cancelled} == {ada.user_id, bob.user_id}
    assert Slot.objects.get(starts_at=at(TUESDAY, 10)).taken == 0
    # The closed day is shown with its reason, and refused.
    sign_in_citizen(client)
    page = client.get(f"/timebestilling/{desk.slug}/").content.decode()
    assert "Stengt: Vannlekkasje" in page
    response = client.post(f"/timebestilling/{desk.slug}/", {"slot": slot_value(at(TUESDAY, 9))})
    assert response.status_code == 400 and "Vannlekkasje" in response.content.decode()


def test_bookings_that_need_approval_are_approved_or_rejected(client, desk):
    desk.needs_approval = True
    desk.save()
    first, second = booked(desk, "ada"), booked(desk, "bob")
    assert first.status == second.status == "pending"
    sign_in_staff(client, [("bymiljoetaten", "case_worker")])
    client.post(f"/timebestilling/saksbehandling/bestilling/{first.pk}/godkjenn/")
    client.post(f"/timebestilling/saksbehandling/bestilling/{second.pk}/avslaa/")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "rejected")
    assert Slot.objects.get(starts_at=at(TUESDAY, 10)).taken == 1


def test_the_feed_lives_at_a_secret_address_that_can_be_replaced(client, desk):
    booked(desk, "ada")
    old = desk.feed_token
    feed = client.get(f"/timebestilling/kalender/{old}.ics")
    assert feed.status_code == 200
    cal = icalendar.Calendar.from_ical(feed.content)
    assert [str(e["summary"]) for e in cal.walk("VEVENT")] == ["Skranke: Test ada"]
    assert client.get("/timebestilling/kalender/wrong.ics").status_code == 404
    sign_in_staff(client, [("bymiljoetaten", "case_worker")])
    assert (
        client.post(f"/timebestilling/saksbehandling/{desk.slug}/kalenderlenke/").status_code == 302
    )
    desk.refresh_from_db()
    assert desk.feed_token != old
    assert client.get(f"/timebestilling/kalender/{old}.ics").status_code == 404
    assert client.get(f"/timebestilling/kalender/{desk.feed_token}.ics").status_code == 200


# --- every booking URL against every actor ----------------------------------------------------

ROUTES = {
    # name: (method, path template, owner gets, staff of the agency gets)
    "booking:booking": ("GET", "/timebestilling/bestilling/{id}/", 200),
    "booking:confirm": ("GET", "/timebestilling/bestilling/{id}/bekreft/", 302),
    "booking:booking_ics": ("GET", "/timebestilling/bestilling/{id}/time.ics", 200),
    "booking:reschedule": ("GET", "/timebestilling/bestilling/{id}/flytt/", 200),
    "booking:cancel": ("POST", "/timebestilling/bestilling/{id}/avbestill/", 400),
    "booking:manage_link": ("GET", "{link}", 200),
    "booking:staff_action": (
        "POST",
        "/timebestilling/saksbehandling/bestilling/{id}/avbestill/",
        None,
    ),
    "booking:staff_agenda": ("GET", "/timebestilling/saksbehandling/{slug}/", None),
    "booking:staff_closure": ("POST", "/timebestilling/saksbehandling/{slug}/stengt/", None),
    "booking:staff_feed": ("POST", "/timebestilling/saksbehandling/{slug}/kalenderlenke/", None),
}
#: Not about one object: anyone logged in (or anyone with the secret) may ask.
OPEN = {"booking:index", "booking:resource", "booking:feed", "booking:staff_resources"}


#: Weekly rentals and the waitlist have their own tests of who may see what
#: (test_rental_pages.py, test_waitlist_pages.py); their forms are per resource.
RENTAL = {
    "booking:rental",
    "booking:rental_form",
    "booking:rental_withdraw",
    "booking:staff_rentals",
    "booking:staff_rental_action",
    "booking:waitlist",
    "booking:waitlist_leave",
}


def test_every_booking_url_is_in_the_matrix():
    assert url_names("booking") - set(ROUTES) - OPEN - RENTAL == set()


@pytest.mark.parametrize("name", sorted(ROUTES))
@pytest.mark.parametrize("actor", ["anonymous", "owner", "other_citizen", "other_agency_staff"])
def test_the_wrong_actor_gets_404_or_a_login(client, desk, name, actor):
    owner = sign_in_citizen(client, "17912099997").user
    reservation = confirm_reservation(
        hold_slot(desk, user=owner, starts_at=at(TUESDAY, 10), now=NOW), user=owner, now=NOW
    )
    method, template, owner_gets = ROUTES[name]
    path = template.format(id=reservation.pk, slug=desk.slug, link=links.manage_path(reservation))
    staff_route = name.startswith("booking:staff")
    client.logout()
    if actor == "owner":
        sign_in_citizen(client, "17912099997")
    elif actor == "other_citizen":
        sign_in_citizen(client, "29822099635")
    elif actor == "other_agency_staff":
        sign_in_staff(client, [("naeringsetaten", "case_worker")], username="other")
    response = client.post(path) if method == "POST" else client.get(path)
    if (
        actor == "anonymous"
        or (staff_route and actor in ("owner", "other_citizen"))
        or (not staff_route and actor == "other_agency_staff")
    ):
        assert response.status_code == 302 and "logg-inn" in response["Location"], response
    elif actor == "owner":
        assert response.status_code == owner_gets
    else:
        assert response.status_code == 404
    reservation.refresh_from_db()
    assert reservation.status == "confirmed"
    assert Reservation.objects.count() == 1
