"""The calendar file rides with the booking's emails: confirmed (PUBLISH, SEQUENCE 0), moved
(same UID, SEQUENCE 1) and cancelled (METHOD:CANCEL, STATUS:CANCELLED, SEQUENCE 2), each
read back from the file email backend and parsed strictly by icalendar and vobject."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, date, datetime
from unittest import mock

import icalendar
import pytest
import vobject

from iktipet.accounts.testing import sign_in_citizen
from iktipet.booking import timetable
from iktipet.booking.forms import slot_value
from iktipet.booking.models import Reservation
from iktipet.messaging.models import Notification
from iktipet.messaging.tasks import send_notification
from support.booking import make_resource

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 8, 7, 30, tzinfo=UTC)  # Monday 8 February 2027, 08:30 in Oslo


def at(day: date, hour: int) -> datetime:
    return timetable.local_instant(day, timetable.time(hour))


@pytest.fixture
def desk(agencies, offline_settings, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return make_resource(agencies["bymiljoetaten"], slug="servicetorget", weekdays=range(5))


def _send_all() -> None:
    for pk in Notification.objects.filter(status="pending").values_list("pk", flat=True):
        assert send_notification.call(str(pk)) == "sent"


def _mails(folder) -> list[email.message.EmailMessage]:
    found = []
    for path in sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime_ns):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return found


def _calendar(message: email.message.EmailMessage, *, method: str, sequence: int):
    (part,) = list(message.iter_attachments())
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == method
    assert part.get_filename() == "timebestilling.ics"
    text = part.get_content()
    assert "\r\n" in text and "DTSTART;TZID=Europe/Oslo:" in text
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["method"]) == method and str(cal["version"]) == "2.0"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Oslo"]
    (event,) = cal.walk("VEVENT")
    assert int(event["sequence"]) == sequence
    parsed = vobject.readOne(text, validate=True)
    (vevent,) = parsed.vevent_list
    vevent.validate(raiseException=True)
    assert vevent.dtstart.value.astimezone(UTC) == event.decoded("dtstart").astimezone(UTC)
    assert int(vevent.sequence.value) == sequence
    return event


def test_confirm_move_and_cancel_each_email_the_calendar_file(client, desk, tmp_path):
    person = sign_in_citizen(client)
    person.user.email = "kari@example.no"
    person.user.save(update_fields=["email"])
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        held = client.post(
            f"/timebestilling/{desk.slug}/", {"slot": slot_value(at(date(2027, 2, 9), 10))}
        )
        assert held.status_code == 302, held.content.decode()[:2000]
        assert client.post(held["Location"], {"action": "confirm"}).status_code == 302
        reservation = Reservation.objects.get()
        _send_all()
        moved = client.post(
            f"/timebestilling/bestilling/{reservation.pk}/flytt/",
            {"slot": slot_value(at(date(2027, 2, 10), 11)), "sequence": "0"},
        )
        assert moved.status_code == 302
        _send_all()
        gone = client.post(
            f"/timebestilling/bestilling/{reservation.pk}/avbestill/", {"sequence": "1"}
        )
        assert gone.status_code == 302
        _send_all()

    confirmed, changed, cancelled = _mails(tmp_path / "mail")
    assert [m["To"] for m in (confirmed, changed, cancelled)] == ["kari@example.no"] * 3
    first = _calendar(confirmed, method="PUBLISH", sequence=0)
    assert str(first["status"]) == "CONFIRMED"
    assert first.decoded("dtstart") == at(date(2027, 2, 9), 10).astimezone(timetable.OSLO)
    second = _calendar(changed, method="PUBLISH", sequence=1)
    assert second.decoded("dtstart") == at(date(2027, 2, 10), 11).astimezone(timetable.OSLO)
    third = _calendar(cancelled, method="CANCEL", sequence=2)
    assert str(third["status"]) == "CANCELLED"
    assert (
        str(first["uid"])
        == str(second["uid"])
        == str(third["uid"])
        == f"{reservation.pk}@booking.iktipet"
    )
    # The queue holds the reference only: no address, no name, no times.
    refs = set(Notification.objects.values_list("attachment", flat=True))
    assert refs == {f"booking.ics:{reservation.pk}"}


def test_a_reminder_carries_no_file(desk):
    from iktipet.booking.ics_mail import attachment_for

    reservation = Reservation(pk="8d0c7a52-1c1e-4a57-9d0e-7f8f6d1b2c3a")
    assert attachment_for(reservation, "booking.reminder") == ""
    assert attachment_for(reservation, "booking.cancelled").startswith("booking.ics:8d0c7a52")


def test_a_weekly_rental_approval_mails_every_date_in_one_file(agencies, desk, tmp_path):
    from datetime import time

    from iktipet.accounts.parties import ORGANISATION, ActingParty
    from iktipet.booking.models import Resource
    from iktipet.booking.services.rental import decide_rental, request_rental
    from support.messaging import make_user

    gym = make_resource(
        agencies["utdanningsetaten"],
        slug="gymsal",
        hours=((18, 21),),
        weekdays=range(5),
        price_rule=Resource.PriceRule.PER_HOUR,
        price_ore=15500,
        needs_approval=True,
        horizon_days=365,
    )
    person = make_user("kari", email="kari@example.no")
    party = ActingParty(ORGANISATION, "310000019", "Testgrillen Restaurant AS")
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        request = request_rental(
            gym,
            user=person,
            party=party,
            weekday=1,
            starts=time(18),
            ends=time(20),
            first=date(2027, 3, 1),
            last=date(2027, 3, 17),
        )
        decide_rental(request, user=make_user("sara", kind="staff"), approve=True)
        _send_all()
    mails = [m for m in _mails(tmp_path / "mail") if m["To"] == "kari@example.no"]
    # The decision carries the file; the payment claim is text only.
    assert sorted(len(list(m.iter_attachments())) for m in mails) == [0, 1]
    (part,) = [p for m in mails for p in m.iter_attachments()]
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "PUBLISH"
    text = part.get_content()
    cal = icalendar.Calendar.from_ical(text)
    events = cal.walk("VEVENT")
    # Tuesdays 2, 9 and 16 March, 18-20 in one-hour slots: six events, each its own UID.
    assert len(events) == 6 and len({str(e["uid"]) for e in events}) == 6
    assert {str(e["status"]) for e in events} == {"CONFIRMED"}
    parsed = vobject.readOne(text, validate=True)
    assert len(parsed.vevent_list) == 6
    for vevent in parsed.vevent_list:
        vevent.validate(raiseException=True)
