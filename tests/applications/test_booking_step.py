"""The booking step inside a service's form (timebestilling at Servicetorget), through the
Django test client: pick a topic, pick a time (held), the summary, the submit that makes the
hold a booking, the receipt with its calendar file — and what must not happen: a lapsed hold
submitted, a tampered slot or resource taken, another person's draft or hold seen, two
people both getting the last seat."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.urls import reverse

from iktipet.accounts.testing import sign_in_citizen
from iktipet.applications.models import Application
from iktipet.booking import timetable
from iktipet.booking.forms import slot_value
from iktipet.booking.models import Reservation, Slot
from iktipet.catalog import plugins
from iktipet.core.models import AuditEvent
from support.applications import KARI, OLA, publish, seed
from support.booking import make_resource

pytestmark = pytest.mark.django_db

# Monday 8 February 2027, 08:30 in Oslo.
NOW = datetime(2027, 2, 8, 7, 30, tzinfo=UTC)
TUESDAY = date(2027, 2, 9)


def at(day: date, hour: int) -> datetime:
    return timetable.local_instant(day, timetable.time(hour))


@pytest.fixture
def clock():
    moment = {"now": NOW}
    with mock.patch("iktipet.booking.clock.now", side_effect=lambda: moment["now"]):
        yield moment


@pytest.fixture
def desk(agencies):
    return make_resource(
        agencies["bymiljoetaten"],
        slug="servicetorget-bymiljoetaten",
        capacity=1,
        hours=((9, 12),),
        weekdays=range(5),
        min_notice_minutes=60,
        horizon_days=60,
        topics=[
            {"value": "parking", "nb": "Parkeringstillatelse", "en": "Parking permit"},
            {"value": "other", "nb": "Annet", "en": "Other"},
        ],
    )


@pytest.fixture
def service(desk):
    return publish(seed("timebestilling-servicetorget"))


def start(client) -> Application:
    import re

    url = reverse("applications:start", args=["timebestilling-servicetorget"])
    page = client.get(url)
    assert page.status_code == 200, page.content[:500]
    token = re.search(rb'name="start_token" value="([^"]+)"', page.content).group(1).decode()
    assert client.post(url, {"start_token": token}).status_code == 302
    return Application.objects.latest("created_at")


def step_url(application, step_id):
    return reverse("applications:step", args=[application.pk, step_id])


def fill_errand(client, application):
    response = client.post(
        step_url(application, "errand"),
        {
            "errand": "parking",
            "details": "Beboerkort",
            "email": "kari@example.invalid",
            "_action": "next",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == step_url(application, "appointment")


def pick(client, application, moment, **extra):
    data = {"slot": slot_value(moment), "_action": "next", **extra}
    return client.post(step_url(application, "appointment"), data)


def test_the_catalogue_offers_the_service_once_booking_registers_its_step(client, service):
    assert plugins.is_available("booking")
    page = client.get("/tjenester/timebestilling-servicetorget/")
    assert page.status_code == 200
    assert "Timebestilling er ikke tilgjengelig ennå" not in page.content.decode()


def test_pick_topic_time_summary_submit_receipt_and_min_side(client, service, clock):
    sign_in_citizen(client, KARI)
    application = start(client)
    fill_errand(client, application)
    page = client.get(step_url(application, "appointment"))
    html = page.content.decode()
    assert page.status_code == 200 and 'type="radio" name="slot"' in html and "Steg 2 av 2" in html

    response = pick(client, application, at(TUESDAY, 10))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("applications:summary", args=[application.pk])
    held = Reservation.objects.get()
    assert held.status == "held" and held.topic == "parking"
    assert held.held_until == NOW + timedelta(minutes=10)  # the step's hold_minutes
    assert held.email == "kari@example.invalid"

    summary = client.get(response["Location"]).content.decode()
    assert "tirsdag 9. februar 2027 kl. 10:00–11:00" in summary
    assert "Send inn søknaden" in summary

    # Back on the step the held time is said and shown as the person's own.
    again = client.get(step_url(application, "appointment")).content.decode()
    assert "Du har holdt av" in again and "Din time" in again
    # Going on without choosing again keeps the hold.
    assert client.post(step_url(application, "appointment"), {"_action": "next"}).status_code == 302
    assert Reservation.objects.get().status == "held"

    done = client.post(reverse("applications:submit", args=[application.pk]))
    assert done.status_code == 302
    assert done["Location"] == reverse("applications:receipt", args=[application.pk])
    application.refresh_from_db()
    held.refresh_from_db()
    assert application.status == "submitted" and held.status == "confirmed"
    receipt = client.get(done["Location"]).content.decode()
    assert "tirsdag 9. februar 2027 kl. 10:00–11:00" in receipt
    ics_url = reverse("booking:booking_ics", args=[held.pk])
    assert ics_url in receipt
    ics = client.get(ics_url)
    assert ics.status_code == 200 and b"BEGIN:VEVENT" in ics.content
    my_page = client.get("/min-side/").content.decode()
    assert reverse("booking:booking", args=[held.pk]) in my_page


def test_choosing_another_time_lets_the_first_go(client, service, clock):
    sign_in_citizen(client, KARI)
    application = start(client)
    fill_errand(client, application)
    assert pick(client, application, at(TUESDAY, 10)).status_code == 302
    assert pick(client, application, at(TUESDAY, 11)).status_code == 302
    statuses = dict(Reservation.objects.values_list("starts_at", "status"))
    assert statuses == {at(TUESDAY, 10): "expired", at(TUESDAY, 11): "held"}
    assert Slot.objects.get(starts_at=at(TUESDAY, 10)).taken == 0


def test_no_time_chosen_is_an_error_on_the_step(client, service, clock):
    sign_in_citizen(client, KARI)
    application = start(client)
    fill_errand(client, application)
    response = client.post(step_url(application, "appointment"), {"_action": "next"})
    assert response.status_code == 400
    assert "Velg et tidspunkt." in response.content.decode()
    assert not Reservation.objects.exists()


def test_a_lapsed_hold_at_submit_sends_back_to_the_step_with_answers_kept(client, service, clock):
    sign_in_citizen(client, KARI)
    application = start(client)
    fill_errand(client, application)
    assert pick(client, application, at(TUESDAY, 10)).status_code == 302
    clock["now"] = NOW + timedelta(minutes=11)

    summary = client.get(reverse("applications:summary", args=[application.pk]))
    assert "Tiden du holdt av, er utløpt" in summary.content.decode()
    done = client.post(reverse("applications:submit", args=[application.pk]), follow=True)
    html = done.content.decode()
    assert done.redirect_chain[-1][0] == step_url(application, "appointment") + "?fra=oppsummering"
    assert "Tiden du holdt av, er utløpt. Velg et nytt tidspunkt." in html
    application.refresh_from_db()
    assert application.status == "draft" and application.answers["errand"] == "parking"
    assert Reservation.objects.get().status in ("held", "expired")
    assert not Reservation.objects.filter(status="confirmed").exists()


def test_a_hold_lapsing_between_the_check_and_the_claim_undoes_the_submit(client, service, clock):
    """The hook refuses inside the submit transaction: the claim is rolled back with it."""
    sign_in_citizen(client, KARI)
    application = start(client)
    fill_errand(client, application)
    assert pick(client, application, at(TUESDAY, 10)).status_code == 302
    from iktipet.booking import step as booking_step

    with mock.patch.object(booking_step.BookingStepPlugin, "problem", return_value=""):
        clock["now"] = NOW + timedelta(minutes=11)
        done = client.post(reverse("applications:submit", args=[application.pk]))
    assert done["Location"] == step_url(application, "appointment") + "?fra=oppsummering"
    application.refresh_from_db()
    assert application.status == "draft" and not application.reference
    assert not Reservation.objects.filter(status="confirmed").exists()


def test_a_tampered_slot_or_resource_changes_nothing(client, service, clock, agencies):
    other = make_resource(agencies["bymiljoetaten"], slug="annen-skranke", capacity=5)
    sign_in_citizen(client, KARI)
    application = start(client)
    fill_errand(client, application)
    # A time off the desk's calendar (09:15), and a resource named in the POST.
    off_grid = at(TUESDAY, 10) + timedelta(minutes=15)
    response = pick(client, application, off_grid, resource=other.slug)
    assert response.status_code == 400
    assert not Reservation.objects.exists()
    response = pick(client, application, at(TUESDAY, 10), resource=other.slug, reservation="x")
    assert response.status_code == 302
    assert Reservation.objects.get().resource.slug == "servicetorget-bymiljoetaten"
    # A time without a zone is no choice: the time already held is kept, nothing else taken.
    data = {"slot": "2027-02-09T11:00:00", "_action": "next"}
    assert client.post(step_url(application, "appointment"), data).status_code == 302
    assert list(Reservation.objects.values_list("starts_at", "status")) == [
        (at(TUESDAY, 10), "held")
    ]


def test_another_persons_draft_and_hold_are_404(client, service, clock):
    from support.applications import make_citizen

    sign_in_citizen(client, KARI)
    application = start(client)
    fill_errand(client, application)
    assert pick(client, application, at(TUESDAY, 10)).status_code == 302
    held = Reservation.objects.get()
    client.logout()
    make_citizen(OLA, "Ola", "Nordmann-Test")
    sign_in_citizen(client, OLA)
    assert client.get(step_url(application, "appointment")).status_code == 404
    assert pick(client, application, at(TUESDAY, 11)).status_code == 404
    assert client.get(reverse("booking:booking", args=[held.pk])).status_code == 404
    assert client.get(reverse("booking:confirm", args=[held.pk])).status_code == 404
    # Ola's own draft cannot name Kari's hold as its answer: it is no answer for him.
    mine = start(client)
    answers = {**mine.answers, "step:appointment": {"reservation": str(held.pk)}}
    Application.objects.filter(pk=mine.pk).update(answers=answers, current_step="appointment")
    summary = client.get(reverse("applications:summary", args=[mine.pk])).content.decode()
    assert "10:00" not in summary
    done = client.post(reverse("applications:submit", args=[mine.pk]))
    assert done.status_code == 302 and "/steg/" in done["Location"]
    held.refresh_from_db()
    assert held.status == "held"


def test_two_people_on_the_last_seat_one_wins_the_other_gets_the_nearest(client, service, clock):
    from django.test import Client

    from support.applications import make_citizen

    sign_in_citizen(client, KARI)
    kari_draft = start(client)
    fill_errand(client, kari_draft)
    make_citizen(OLA, "Ola", "Nordmann-Test")
    ola = Client()
    sign_in_citizen(ola, OLA)
    ola_draft = start(ola)
    fill_errand(ola, ola_draft)

    assert pick(client, kari_draft, at(TUESDAY, 10)).status_code == 302
    lost = pick(ola, ola_draft, at(TUESDAY, 10))
    html = lost.content.decode()
    assert lost.status_code == 409
    assert "Noen andre fikk den siste plassen" in html
    assert "Ledige tidspunkt nærmest det du valgte" in html
    assert slot_value(at(TUESDAY, 11)) in html.split("booking-nearest")[1].split("</fieldset>")[0]
    assert Slot.objects.get(starts_at=at(TUESDAY, 10)).taken == 1
    # Ola takes the nearest offered time and both submit: two bookings, no double booking.
    assert pick(ola, ola_draft, at(TUESDAY, 11)).status_code == 302
    for who, draft in ((client, kari_draft), (ola, ola_draft)):
        done = who.post(reverse("applications:submit", args=[draft.pk]))
        assert done["Location"] == reverse("applications:receipt", args=[draft.pk])
    assert sorted(Reservation.objects.values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
    ]
    assert Slot.objects.get(starts_at=at(TUESDAY, 10)).taken == 1


def test_the_step_summary_and_receipt_in_english(client, service, clock, settings):
    sign_in_citizen(client, KARI)
    application = start(client)
    fill_errand(client, application)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(step_url(application, "appointment")).content.decode()
    assert "Choose a time" in page and "Velg tidspunkt" not in page
    assert pick(client, application, at(TUESDAY, 10)).status_code == 302
    page = client.get(step_url(application, "appointment")).content.decode()
    assert "You have held Tuesday 9 February 2027 at 10:00–11:00" in page
    summary = client.get(reverse("applications:summary", args=[application.pk])).content.decode()
    assert "Tuesday 9 February 2027 at 10:00–11:00" in summary
    done = client.post(reverse("applications:submit", args=[application.pk]))
    receipt = client.get(done["Location"]).content.decode()
    assert "Download calendar file (.ics)" in receipt
    assert "See or change the appointment" in receipt


def test_deleting_the_draft_gives_back_the_held_place_at_once(client, service, clock):
    sign_in_citizen(client, KARI)
    application = start(client)
    fill_errand(client, application)
    assert pick(client, application, at(TUESDAY, 10)).status_code == 302
    assert Slot.objects.get(starts_at=at(TUESDAY, 10)).taken == 1  # the desk's one seat

    deleted = client.post(reverse("applications:delete", args=[application.pk]))
    assert deleted.status_code == 302
    assert not Application.objects.filter(pk=application.pk).exists()
    # Free again now, not when the ten minutes' hold lapses: the next person gets it.
    assert Slot.objects.get(starts_at=at(TUESDAY, 10)).taken == 0
    assert Reservation.objects.get().status == "expired"
    assert AuditEvent.objects.filter(action="booking.released").count() == 1
    from support.applications import make_citizen

    make_citizen(OLA, "Ola", "Nordmann-Test")
    sign_in_citizen(client, OLA)
    other = start(client)
    fill_errand(client, other)
    assert pick(client, other, at(TUESDAY, 10)).status_code == 302
    assert Reservation.objects.filter(status="held").get().user.person.pid == OLA


def test_deleting_a_draft_that_names_another_persons_hold_leaves_it(client, service, clock):
    from support.applications import make_citizen

    sign_in_citizen(client, KARI)
    fill_errand(client, kari := start(client))
    assert pick(client, kari, at(TUESDAY, 10)).status_code == 302
    held = Reservation.objects.get()
    make_citizen(OLA, "Ola", "Nordmann-Test")
    sign_in_citizen(client, OLA)
    mine = start(client)
    answers = {**mine.answers, "step:appointment": {"reservation": str(held.pk)}}
    Application.objects.filter(pk=mine.pk).update(answers=answers)
    assert client.post(reverse("applications:delete", args=[mine.pk])).status_code == 302
    assert not Application.objects.filter(pk=mine.pk).exists()
    held.refresh_from_db()
    assert held.status == "held"
    assert Slot.objects.get(starts_at=at(TUESDAY, 10)).taken == 1


def test_a_draft_whose_delete_fails_keeps_its_hold(client, service, clock):
    """Released in the delete's own transaction: if the delete is undone, so is the release."""
    sign_in_citizen(client, KARI)
    application = start(client)
    fill_errand(client, application)
    assert pick(client, application, at(TUESDAY, 10)).status_code == 302
    from iktipet.applications.services import delete_draft

    with (
        mock.patch("iktipet.core.audit.record", side_effect=RuntimeError("audit down")),
        pytest.raises(RuntimeError),
    ):
        delete_draft(application, user=application.applicant)
    assert Application.objects.filter(pk=application.pk).exists()
    assert Reservation.objects.get().status == "held"
    assert Slot.objects.get(starts_at=at(TUESDAY, 10)).taken == 1
