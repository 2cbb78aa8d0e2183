"""The booking step inside the form engine, in a real browser as in the demo, axe on every
page (issue 12): Kari starts "Bestill time på Servicetorget" from the catalogue, picks a
topic, is refused with no time chosen, picks a time (held), sees it on the summary,
submits, gets the receipt with the time and its calendar file, and finds the booking on
Min side."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest

from support.seed_journeys import KARI, Journey, seed_site  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser]


@pytest.fixture
def nojs_page(browser: Any, seed_site: str) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(base_url=seed_site, locale="nb-NO", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.csp_violations = []
    yield page
    context.close()


def test_topic_time_summary_submit_receipt_and_min_side(page, seed_site, axe_check):  # noqa: F811
    walk(Journey(page, seed_site, axe_check), keyboard=True)


def test_the_same_with_javascript_off(nojs_page, seed_site):  # noqa: F811
    """axe cannot run with JavaScript off; the pages are the ones checked above."""
    walk(Journey(nojs_page, seed_site, None), keyboard=False)


def walk(journey: Journey, *, keyboard: bool) -> None:
    from iktipet.booking.models import Reservation

    page = journey.page
    journey.start_service(
        "timebestilling-servicetorget", KARI, "substantial", "Bestill time på Servicetorget"
    )
    journey.begin()
    journey.expect_heading("Hva gjelder det?")
    journey.field("Hva trenger du hjelp med?").select_option("parking")
    if not journey.field("E-post for bekreftelsen").input_value():
        journey.fill("E-post for bekreftelsen", "kari@example.invalid")
    journey.next()
    journey.expect_heading("Velg tidspunkt")

    # Nothing chosen: the error, on the step again.
    journey.next()
    assert "Velg et tidspunkt." in page.locator("#error-summary").inner_text()

    journey.press(page.get_by_role("link", name="Neste uke"))
    radios = page.locator("#times input[type=radio]:not([disabled])")
    first = radios.first.get_attribute("id")
    chosen = page.locator(f"label[for={first}]").inner_text().split()[0]
    if keyboard:  # Tab to the time and choose it with the space bar
        page.locator(f"#{first}").focus()
        page.keyboard.press("Space")
        assert page.locator(f"#{first}").is_checked()
    else:
        page.locator(f"#{first}").check()
    journey.next()
    journey.expect_heading("Se over og send inn")
    assert chosen in page.locator("main").inner_text()
    held = Reservation.objects.get(user__first_name="Kari", status="held")

    journey.press(journey.button("Send inn søknaden"))
    journey.expect_heading("Søknaden er sendt")
    main = page.locator("main").inner_text()
    assert chosen in main and "Servicetorget" in main
    held.refresh_from_db()
    assert held.status == "confirmed"

    with page.expect_download() as info:
        page.get_by_role("link", name="Last ned kalenderfil (.ics)").click()
    calendar = icalendar.Calendar.from_ical(Path(info.value.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart").strftime("%H:%M") == chosen[:5]

    journey.goto("/min-side/")
    section = page.locator("#min-side-booking").locator("..")
    assert f"kl. {chosen[:5]}" in section.inner_text()
