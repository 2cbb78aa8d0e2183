"""A person books, gets the calendar file, moves and cancels — through HTTP; refusals keep
what was chosen; another person's booking is 404; an old signed link is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import icalendar
import pytest
import vobject

from iktipet.accounts.testing import sign_in_citizen
from iktipet.booking import links, timetable
from iktipet.booking.forms import slot_value
from iktipet.booking.models import Reservation, Slot
from iktipet.messaging.models import Notification
from support.booking import make_resource

pytestmark = pytest.mark.django_db

# Monday 8 February 2027, 08:30 in Oslo: the desk opens 09:00.
NOW = datetime(2027, 2, 8, 7, 30, tzinfo=UTC)


def at(day: date, hour: int) -> datetime:
    return timetable.local_instant(day, timetable.time(hour))


@pytest.fixture
def frozen():
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        yield NOW


@pytest.fixture
def desk(agencies, offline_settings):
    return make_resource(
        agencies["bymiljoetaten"],
        slug="servicetorget",
        capacity=1,
        hours=((9, 12),),
        weekdays=range(5),
        min_notice_minutes=60,
        horizon_days=120,
        quota_per_person=2,
        topics=[{"value": "parking", "nb": "Parkering", "en": "Parking"}],
    )


def book(client, desk, moment, topic="parking"):
    response = client.post(
        f"/timebestilling/{desk.slug}/", {"slot": slot_value(moment), "topic": topic, "note": "x"}
    )
    return response


def test_book_get_calendar_file_move_and_cancel(client, desk, frozen):
    sign_in_citizen(client)
    page = client.get(f"/timebestilling/{desk.slug}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'type="radio"' in html and "Parkering" in html
    response = book(client, desk, at(date(2027, 2, 9), 10))
    assert response.status_code == 302, response.content.decode()[:2000]
    held = Reservation.objects.get()
    assert held.status == "held" and response["Location"].endswith(f"/{held.pk}/bekreft/")
    assert client.get(response["Location"]).status_code == 200
    done = client.post(response["Location"], {"action": "confirm"})
    assert done.status_code == 302
    held.refresh_from_db()
    assert held.status == "confirmed" and held.sequence == 0
    assert Notification.objects.filter(event="booking.confirmed").count() == 1
    assert "10:00" in client.get(done["Location"]).content.decode()

    first = client.get(f"/timebestilling/bestilling/{held.pk}/time.ics")
    assert first["Content-Type"].startswith("text/calendar")
    event = check_ics(first.content, method="PUBLISH", sequence=0)
    assert event.decoded("dtstart") == at(date(2027, 2, 9), 10).astimezone(timetable.OSLO)
    uid = str(event["uid"])

    old_link = links.manage_path(held)
    assert client.get(old_link).status_code == 200
    moved = client.post(
        f"/timebestilling/bestilling/{held.pk}/flytt/",
        {"slot": slot_value(at(date(2027, 2, 10), 11)), "sequence": "0"},
    )
    assert moved.status_code == 302, moved.content.decode()[:2000]
    held.refresh_from_db()
    assert held.sequence == 1 and held.starts_at == at(date(2027, 2, 10), 11)
    assert Slot.objects.get(starts_at=at(date(2027, 2, 9), 10)).taken == 0
    assert Slot.objects.get(starts_at=at(date(2027, 2, 10), 11)).taken == 1
    event = check_ics(
        client.get(f"/timebestilling/bestilling/{held.pk}/time.ics").content,
        method="PUBLISH",
        sequence=1,
    )
    assert str(event["uid"]) == uid
    # The link sent before the move is refused; the new one works.
    assert client.get(old_link).status_code == 410
    assert client.get(links.manage_path(held)).status_code == 200

    # A cancel from a page read before the move (sequence 0) changes nothing.
    stale = client.post(f"/timebestilling/bestilling/{held.pk}/avbestill/", {"sequence": "0"})
    assert stale.status_code == 400
    held.refresh_from_db()
    assert held.status == "confirmed"
    gone = client.post(f"/timebestilling/bestilling/{held.pk}/avbestill/", {"sequence": "1"})
    assert gone.status_code == 302
    held.refresh_from_db()
    assert held.status == "cancelled" and held.sequence == 2
    assert Slot.objects.get(starts_at=at(date(2027, 2, 10), 11)).taken == 0
    event = check_ics(
        client.get(f"/timebestilling/bestilling/{held.pk}/time.ics").content,
        method="CANCEL",
        sequence=2,
    )
    assert str(event["status"]) == "CANCELLED" and str(event["uid"]) == uid
    events = list(Notification.objects.values_list("event", flat=True).order_by("created_at"))
    assert events == ["booking.confirmed", "booking.changed", "booking.cancelled"]


def check_ics(content: bytes, *, method: str, sequence: int):
    """Strictly parsed by both libraries: one event, Europe/Oslo with its VTIMEZONE."""
    text = content.decode()
    assert "\r\n" in text
    cal = icalendar.Calendar.from_ical(content)
    assert str(cal["method"]) == method and str(cal["version"]) == "2.0"
    timezones = [c for c in cal.walk("VTIMEZONE")]
    assert [str(tz["tzid"]) for tz in timezones] == ["Europe/Oslo"]
    assert {c.name for c in timezones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    (event,) = cal.walk("VEVENT")
    assert "DTSTART;TZID=Europe/Oslo:" in text and "DTEND;TZID=Europe/Oslo:" in text
    assert int(event["sequence"]) == sequence
    parsed = vobject.readOne(text, validate=True)
    (vevent,) = parsed.vevent_list
    vevent.validate(raiseException=True)
    assert str(vevent.dtstart.value.tzinfo) in ("Europe/Oslo", "<tzicalvtz 'Europe/Oslo'>") or (
        vevent.dtstart.value.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
    )
    assert vevent.dtstart.value.astimezone(UTC) == event.decoded("dtstart").astimezone(UTC)
    return event


@pytest.mark.parametrize(
    ("moment", "status", "words"),
    [
        (datetime(2027, 2, 8, 5, 0, tzinfo=UTC), 400, "allerede vært"),  # in the past
        (at(date(2027, 2, 8), 9), 400, "for nært"),  # under the minimum notice (1 h)
        (at(date(2027, 7, 1), 10), 400, "120 dager"),  # beyond the horizon
        (at(date(2027, 2, 9), 10) + timedelta(minutes=7), 400, "ikke et ledig tidspunkt"),
        (at(date(2027, 5, 17), 10), 400, "Grunnlovsdag"),
    ],
)
def test_refusals_say_why_and_keep_the_answers(client, desk, frozen, moment, status, words):
    sign_in_citizen(client)
    response = book(client, desk, moment)
    html = response.content.decode()
    assert response.status_code == status and words in html, html[:3000]
    assert 'value="parking" selected' in html  # what was chosen is kept
    assert not Reservation.objects.exists() and not Slot.objects.filter(taken__gt=0).exists()


def test_quota_and_missing_choices_are_refused(client, desk, frozen):
    sign_in_citizen(client)
    for day in (9, 10):
        held = book(client, desk, at(date(2027, 2, day), 10))
        client.post(held["Location"], {"action": "confirm"})
    over = book(client, desk, at(date(2027, 2, 11), 10))
    assert over.status_code == 400 and "det meste du kan ha" in over.content.decode()
    control = client.post(
        f"/timebestilling/{desk.slug}/",
        {"slot": slot_value(at(date(2027, 2, 12), 10)), "topic": "parking", "note": "a\x07b"},
    )
    assert control.status_code == 400 and 'id="note-error"' in control.content.decode()
    tampered = client.post(
        f"/timebestilling/{desk.slug}/",
        {"slot": slot_value(at(date(2027, 2, 12), 10)), "topic": "not-a-topic"},
    )
    assert tampered.status_code == 400 and "Velg et tema fra listen." in tampered.content.decode()
    empty = client.post(f"/timebestilling/{desk.slug}/", {"slot": "nonsense", "topic": ""})
    html = empty.content.decode()
    assert empty.status_code == 400 and "Velg et tidspunkt." in html and "Velg hva du" in html


def test_the_loser_of_the_last_seat_is_offered_the_nearest_free_times(client, desk, frozen):
    sign_in_citizen(client, "17912099997", name=("Ola", "Først"))
    assert book(client, desk, at(date(2027, 2, 9), 10)).status_code == 302
    sign_in_citizen(client, "29822099635", name=("Per", "Sist"))
    page = client.get(f"/timebestilling/{desk.slug}/").content.decode()
    assert "Fullt" in page  # the full slot is shown, not hidden
    lost = book(client, desk, at(date(2027, 2, 9), 10))
    html = lost.content.decode()
    assert lost.status_code == 409 and "Tidspunktet er fullt." in html
    assert slot_value(at(date(2027, 2, 9), 9)) in html.split('id="nearest-help"')[1][:1500]
    assert slot_value(at(date(2027, 2, 9), 11)) in html


def test_another_persons_booking_and_link_are_404(client, desk, frozen):
    sign_in_citizen(client, "17912099997")
    held = book(client, desk, at(date(2027, 2, 9), 10))
    client.post(held["Location"], {"action": "confirm"})
    reservation = Reservation.objects.get()
    sign_in_citizen(client, "29822099635")
    for path in (
        f"/timebestilling/bestilling/{reservation.pk}/",
        f"/timebestilling/bestilling/{reservation.pk}/time.ics",
        f"/timebestilling/bestilling/{reservation.pk}/flytt/",
        links.manage_path(reservation),
        "/timebestilling/lenke/forged-token/",
    ):
        assert client.get(path).status_code == 404, path
    for path in ("avbestill", "flytt", "bekreft"):
        response = client.post(
            f"/timebestilling/bestilling/{reservation.pk}/{path}/", {"sequence": "0"}
        )
        assert response.status_code == 404
    reservation.refresh_from_db()
    assert reservation.status == "confirmed"


def test_a_hold_that_lapses_gives_back_its_place_and_cannot_be_confirmed(client, desk):
    sign_in_citizen(client)
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        held = book(client, desk, at(date(2027, 2, 9), 10))
    later = NOW + timedelta(minutes=desk.hold_minutes + 1)
    with mock.patch("iktipet.booking.clock.now", return_value=later):
        refused = client.post(held["Location"], {"action": "confirm"})
        assert refused.status_code == 400 and "utløpt" in refused.content.decode()
    reservation = Reservation.objects.get()
    assert reservation.status == "expired"
    assert Slot.objects.get().taken == 0


def test_the_sweep_expires_holds_and_reminders_go_once_and_not_for_cancelled(desk):
    from iktipet.accounts.models import User
    from iktipet.booking.services import (
        cancel_booking,
        confirm_reservation,
        expire_holds,
        hold_slot,
        send_due_reminders,
    )

    ada = User.objects.create(username="ada", email="ada@example.test")
    bob = User.objects.create(username="bob", email="bob@example.test")
    one = hold_slot(desk, user=ada, starts_at=at(date(2027, 2, 10), 10), now=NOW)
    confirm_reservation(one, user=ada, now=NOW)
    two = hold_slot(desk, user=bob, starts_at=at(date(2027, 2, 10), 11), now=NOW)
    confirm_reservation(two, user=bob, now=NOW)
    cancel_booking(two, user=bob, sequence=two.sequence, now=NOW)
    lapsing = hold_slot(desk, user=bob, starts_at=at(date(2027, 2, 12), 9), now=NOW)
    assert expire_holds(NOW + timedelta(hours=1)) == 1
    lapsing.refresh_from_db()
    assert lapsing.status == "expired" and lapsing.slot.taken == 0
    day_before = at(date(2027, 2, 9), 11)  # 23 hours before ada's 10:00
    assert send_due_reminders(day_before - timedelta(hours=2)) == 0  # not yet within 24 h
    assert send_due_reminders(day_before) == 1
    assert send_due_reminders(day_before + timedelta(minutes=10)) == 0  # once
    reminders = Notification.objects.filter(event="booking.reminder")
    assert [n.recipient_user_id for n in reminders] == [ada.pk]


def test_the_pages_in_english_leave_no_bokmal(client, desk, frozen):
    import re

    sign_in_citizen(client)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    held = book(client, desk, at(date(2027, 2, 9), 10))
    client.post(held["Location"], {"action": "confirm"})
    reservation = Reservation.objects.get()
    desk.name_en = "Service desk"
    desk.location = "Testgata 1"
    desk.save()
    for path in (
        f"/timebestilling/{desk.slug}/?fra=2027-05-13",  # 17 May: a holiday's English name
        f"/timebestilling/bestilling/{reservation.pk}/",
        f"/timebestilling/bestilling/{reservation.pk}/flytt/",
        "/timebestilling/",
    ):
        html = client.get(path).content.decode()
        html = re.sub(r'<button[^>]*lang="nb"[^>]*>.*?</button>', "", html, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", html)
        assert not re.findall(r"[^\s]*[æøåÆØÅ][^\s]*", text), (path, text[:200])
    assert (
        "Constitution Day"
        in client.get(f"/timebestilling/{desk.slug}/?fra=2027-05-13").content.decode()
    )
