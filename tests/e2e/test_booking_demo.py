"""Timebestilling at Servicetorget in a real browser, as in the demo, axe on every page
(issue 12, "Done when"): Kari logs in with TestID, books a time, downloads the calendar
file, moves the appointment and cancels it; the calendar files say so."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from support.case_journeys import another_person  # noqa: F401  (fixture)
from support.seed_journeys import KARI, Journey, seed_site  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser]

PICKER = "/timebestilling/servicetorget-bymiljoetaten/"


def download_ics(journey: Journey) -> icalendar.Calendar:
    with journey.page.expect_download() as info:
        journey.page.get_by_role("link", name="Last ned kalenderfil (.ics)").click()
    download = info.value
    assert download.failure() is None, download.failure()
    return icalendar.Calendar.from_ical(Path(download.path()).read_bytes())


def free_times(journey: Journey) -> list[str]:
    radios = journey.page.locator("#times input[type=radio]:not([disabled])")
    return [radios.nth(i).get_attribute("id") for i in range(radios.count())]


def test_book_download_move_and_cancel_at_servicetorget(page, seed_site, axe_check):  # noqa: F811
    journey = Journey(page, seed_site, axe_check)
    page.goto(f"{seed_site}{PICKER}")
    journey.testid_login(KARI, "substantial")
    journey.expect_heading("Servicetorget, Bymiljøetaten")
    journey.check()

    # Nothing chosen: the errors, the page again.
    journey.press(journey.button("Gå videre"))
    assert "Velg et tidspunkt." in page.locator("#error-summary").inner_text()

    # Next week: far enough ahead to move and cancel (the deadline is 24 hours before).
    journey.press(page.get_by_role("link", name="Neste uke"))
    page.get_by_label("Hva trenger du hjelp med?").select_option("parking")
    first, second = free_times(journey)[:2]
    chosen = page.locator(f"label[for={first}]").inner_text().split()[0]
    page.locator(f"#{first}").check()
    journey.press(journey.button("Gå videre"))
    journey.expect_heading("Bekreft timen")
    assert "Parkeringstillatelse" in page.content()
    journey.press(journey.button("Bekreft bestillingen"))
    journey.expect_heading("Timen din")
    assert chosen in page.locator("dl").inner_text()

    booked = download_ics(journey)
    (event,) = booked.walk("VEVENT")
    assert str(booked["method"]) == "PUBLISH" and int(event["sequence"]) == 0
    assert event.decoded("dtstart").strftime("%H:%M").startswith(chosen[:5])

    journey.press(page.get_by_role("link", name="Flytt timen"))
    journey.expect_heading("Flytt timen")
    journey.press(page.get_by_role("link", name="Neste uke"))
    assert "Din time" in page.locator(f"label[for={first}]").inner_text()
    assert page.locator(f"#{first}").is_disabled()
    moved_to = page.locator(f"label[for={second}]").inner_text().split()[0]
    page.locator(f"#{second}").check()
    journey.press(journey.button("Flytt timen"))
    journey.expect_heading("Timen din")
    assert moved_to in page.locator("dl").inner_text()
    moved = download_ics(journey)
    (moved_event,) = moved.walk("VEVENT")
    assert str(moved_event["uid"]) == str(event["uid"]) and int(moved_event["sequence"]) == 1

    journey.goto("/min-side/")
    section = page.locator("#min-side-booking").locator("..")
    assert f"kl. {moved_to.split('–')[0]}" in section.inner_text()
    journey.press(section.get_by_role("link").first)
    journey.press(journey.button("Avbestill timen"))
    assert "Avbestilt" in page.locator("main").inner_text()
    cancelled = download_ics(journey)
    (cancelled_event,) = cancelled.walk("VEVENT")
    assert str(cancelled["method"]) == "CANCEL" and str(cancelled_event["status"]) == "CANCELLED"
    assert int(cancelled_event["sequence"]) == 2


def test_staff_agenda_closure_and_feed_for_the_exam(page, seed_site, axe_check):  # noqa: F811
    """Sara (Næringsetaten) finds a booked exam seat in the week's agenda, closes that day
    with a reason (the person's seat is cancelled), and replaces the feed's address."""
    from datetime import timedelta

    from django.utils import timezone

    from iktipet.accounts.models import User
    from iktipet.booking import selectors, timetable
    from iktipet.booking.models import Reservation, Resource
    from iktipet.booking.services import hold_slot
    from iktipet.booking.services.holds import confirm_paid
    from support.case_journeys import SARA, main_text, staff_login

    exam = Resource.objects.get(slug="kunnskapsproven-naeringsetaten")
    today = timetable.today_local(timezone.now())
    slot = next(
        item.slot
        for day in selectors.availability(exam, today + timedelta(days=2), 14)
        for item in day.slots
        if item.bookable
    )
    person = User.objects.create(username="exam-taker", first_name="Eva", last_name="Eksamen")
    seat = confirm_paid(hold_slot(exam, user=person, starts_at=slot.starts_at), now=timezone.now())
    day = timetable.today_local(slot.starts_at)

    journey = Journey(page, seed_site, axe_check)
    staff_login(journey, SARA, "/timebestilling/saksbehandling/")
    journey.press(page.get_by_role("link", name="Kunnskapsprøven i alkoholloven"))
    journey.goto(f"/timebestilling/saksbehandling/{exam.slug}/?dag={day.isoformat()}&visning=uke")
    assert "Eva Eksamen" in main_text(journey)

    journey.press(journey.button("Steng dagen"))  # no date, no reason: both errors, kept
    assert "Skriv en gyldig dato." in main_text(journey)
    page.get_by_label("Dato").fill(day.isoformat())
    page.get_by_label("Årsak (vises for innbyggerne)").fill("Vannlekkasje i eksamenssalen")
    journey.press(journey.button("Steng dagen"))
    seat.refresh_from_db()
    assert seat.status == Reservation.Status.CANCELLED

    old = exam.feed_token
    journey.press(journey.button("Lag ny kalenderlenke"))
    exam.refresh_from_db()
    assert exam.feed_token != old and exam.feed_token in main_text(journey)


def test_a_kunnskapsprove_seat_is_paid_with_the_testbank(page, seed_site, axe_check, settings):  # noqa: F811
    """Per holds a seat in an exam session, pays 400 kr at the testbank's checkout, and
    lands on his booking: confirmed, with the price. No payment, no seat."""
    from support.case_journeys import main_text
    from support.seed_journeys import PER

    settings.PAYMENT_PROVIDERS = ["testbank"]
    settings.TESTBANK_WEBHOOK_DELAY_SECONDS = 0
    journey = Journey(page, seed_site, axe_check)
    page.goto(f"{seed_site}/timebestilling/kunnskapsproven-naeringsetaten/")
    journey.testid_login(PER, "substantial")
    journey.expect_heading("Kunnskapsprøven i alkoholloven")
    journey.check()
    journey.press(page.get_by_role("link", name="Neste uke"))
    seat = free_times(journey)[0]
    page.locator(f"#{seat}").check()
    journey.press(journey.button("Gå videre"))
    journey.expect_heading("Bekreft timen")
    assert "400,00 kr" in main_text(journey)
    assert journey.button("Bekreft bestillingen").count() == 0  # no payment, no seat
    journey.press(journey.button("Gå til betaling"))

    journey.press(page.get_by_role("button", name="Betal 400,00\u00a0kr", exact=False))
    journey.expect_heading("Testbanken")
    journey.press(journey.button("Godkjenn betalingen"))

    journey.expect_heading("Timen din")
    text = main_text(journey)
    assert "Bekreftet" in text and "400,00 kr" in text, text


def test_a_gym_rental_is_approved_and_its_claim_paid(
    page,
    seed_site,  # noqa: F811
    axe_check,
    settings,
    another_person,  # noqa: F811
):
    """Kari asks for an evening hour in Testlia's gym (pending); Ulla (Utdanningsetaten)
    approves it in the agenda, which raises a 155 kr claim; Kari pays it from Min side."""
    from support.case_journeys import main_text, staff_login

    settings.PAYMENT_PROVIDERS = ["testbank"]
    settings.TESTBANK_WEBHOOK_DELAY_SECONDS = 0
    kari = Journey(page, seed_site, axe_check)
    page.goto(f"{seed_site}/timebestilling/gymsal-testlia-skole/")
    kari.testid_login(KARI, "substantial")
    kari.expect_heading("Gymsal, Testlia skole")
    kari.check()
    kari.press(page.get_by_role("link", name="Neste uke"))
    hour = free_times(kari)[0]
    day = hour.split("-")[1]
    page.locator(f"#{hour}").check()
    kari.press(kari.button("Gå videre"))
    assert "må godkjennes" in main_text(kari) and "155,00 kr" in main_text(kari)
    kari.press(kari.button("Bekreft bestillingen"))
    assert "Venter på godkjenning" in main_text(kari)

    ulla = another_person()
    agenda = (
        f"/timebestilling/saksbehandling/gymsal-testlia-skole/?dag={day[:4]}-{day[4:6]}-{day[6:]}"
    )
    staff_login(ulla, "Ulla Utdanning", "/timebestilling/saksbehandling/gymsal-testlia-skole/")
    ulla.goto(agenda)
    assert "Kari Nordmann-Test" in main_text(ulla)
    ulla.press(ulla.button("Godkjenn"))
    assert "bekreftet" in main_text(ulla)

    kari.goto("/min-side/")
    claim = page.get_by_role("link", name="Betal 155,00\u00a0kr", exact=False)
    kari.press(claim.first)
    kari.press(kari.button("Betal 155,00\u00a0kr", exact=False))
    kari.expect_heading("Testbanken")
    kari.press(kari.button("Godkjenn betalingen"))
    kari.expect_heading("Timen din")
    assert "Bekreftet" in main_text(kari)
