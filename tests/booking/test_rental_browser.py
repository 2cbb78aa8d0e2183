"""Weekly rental and the waitlist in a real browser, as in the demo, axe on every page:
Kari, acting for Testgrillen, checks every Tuesday 18-20 for a month at the school gym,
sees each date with its state and the price, sends it, and finds the waitlist page."""

from __future__ import annotations

import datetime

import pytest

from support.seed_journeys import KARI, Journey, seed_site  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser]

GYM = "/timebestilling/gymsal-testlia-skole/"


def test_check_and_send_a_weekly_rental_then_the_waitlist(page, seed_site, axe_check):  # noqa: F811
    journey = Journey(page, seed_site, axe_check)
    page.goto(f"{seed_site}{GYM}")
    journey.testid_login(KARI, "substantial")
    journey.press(page.get_by_role("link", name="Lei samme tid hver uke i en periode"))
    journey.expect_heading("Lei Gymsal, Testlia skole fast hver uke")
    journey.check()

    # Nothing filled in: the errors on their fields, the page again.
    journey.press(journey.button("Sjekk datoene"))
    assert "Velg en ukedag." in page.locator(".ds-error-summary").inner_text()
    journey.check()

    first = datetime.date.today() + datetime.timedelta(days=7)
    page.get_by_label("Ukedag").select_option("1")
    page.get_by_label("Fra klokken").fill("18:00")
    page.get_by_label("Til klokken").fill("20:00")
    page.get_by_label("Første dato").fill(first.isoformat())
    page.get_by_label("Siste dato").fill((first + datetime.timedelta(days=27)).isoformat())
    journey.press(journey.button("Sjekk datoene"))
    rows = page.locator("table tbody tr")
    assert rows.count() == 4
    assert "ledig" in page.locator("table").inner_text().lower()
    journey.check()
    journey.press(journey.button("Send forespørselen"))
    journey.expect_heading("Forespørsel om leie")
    assert "Venter på godkjenning" in page.content()
    journey.check()

    # One time of the season: not cancelled or moved alone, so neither is offered.
    from iktipet.booking.models import Reservation

    first_time = Reservation.objects.filter(rental__isnull=False).order_by("starts_at").first()
    assert first_time is not None
    journey.goto(f"/timebestilling/bestilling/{first_time.pk}/")
    journey.expect_heading("Timen din")
    assert page.get_by_role("button", name="Avbestill timen").count() == 0
    assert page.get_by_role("link", name="Flytt timen").count() == 0
    assert "kan ikke flyttes eller avbestilles alene" in page.content()
    journey.check()
    journey.press(page.get_by_role("link", name="Se hele leien"))
    journey.expect_heading("Forespørsel om leie")

    journey.goto(GYM)
    journey.press(page.get_by_role("link", name="Er tiden du vil ha, full? Stå på venteliste"))
    journey.expect_heading("Venteliste: Gymsal, Testlia skole")
    journey.check()
