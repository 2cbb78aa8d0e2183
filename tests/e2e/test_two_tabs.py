"""Two tabs on one draft, in a real browser at 1280 and 375 px, axe on every page.

Kari fills in an application and reads its summary in one tab. In a second tab of the same
browser (same session) she opens the draft, renames the event and comes back to the
summary there. "Send inn" in the first tab, whose summary still shows the old name, does
not send: the summary comes back with the draft as it is now and a notice that it changed
since (the summary carries the draft's version). Sending from that page goes through;
"Send inn" in the second tab afterwards shows the same receipt, not a second application.
"""

from __future__ import annotations

from typing import Any

import pytest

from support.cases import case_service
from support.seed_journeys import KARI, WIDTHS, Journey, journey_at, seed_site  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser]

TITLE = "Arrangement i parken"
NOTICE = (
    "Søknaden ble endret etter at du åpnet denne oppsummeringen, kanskje i en annen fane. "
    "Den er ikke sendt inn. Se over svarene slik de er nå, og send inn igjen."
)
FIRST, RENAMED = "Sommerfest i parken", "Vinterfest i parken"


@pytest.fixture
def service(seed_site):  # noqa: F811
    return case_service("to-faner", title=TITLE)


def _new_tab(person: Journey) -> Journey:
    """A second tab in the person's browser: the same cookies, so the same session."""
    tab: Any = person.page.context.new_page()
    tab.set_viewport_size(person.page.viewport_size)
    tab.csp_violations = []

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            tab.csp_violations.append(message.text)

    tab.on("console", on_console)
    return Journey(tab, person.base_url, person._axe)


def _answer(summary: Journey, label: str) -> str:
    """The answer the summary shows for the question ``label``."""
    term = summary.page.locator(".app-summary__row dt").filter(has_text=label)
    return term.locator("xpath=following-sibling::dd[1]").inner_text().strip()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_summary_changed_in_another_tab_is_shown_again_before_it_is_sent(
    page,
    seed_site,  # noqa: F811
    axe_check,
    service,
    width,
):
    from iktipet.applications.models import Application
    from iktipet.cases.models import Case

    first = journey_at(width, page, seed_site, axe_check)
    first.start_service("to-faner", KARI, "substantial", TITLE)
    first.begin()
    first.expect_heading("Om søknaden")
    first.fill("Navn på tiltaket", FIRST)
    first.fill("Beskrivelse", "Et arrangement for nabolaget.")
    first.next()
    first.expect_heading("Se over og send inn")
    assert _answer(first, "Navn på tiltaket") == FIRST
    summary_url = page.url

    # The second tab: the same draft, renamed and back at its summary.
    second = _new_tab(first)
    second.goto(summary_url.removeprefix(seed_site))
    second.expect_heading("Se over og send inn")
    second.press(second.page.get_by_role("link", name="Endre Om søknaden", exact=True))
    second.expect_heading("Om søknaden")
    assert second.field("Navn på tiltaket").input_value() == FIRST
    second.fill("Navn på tiltaket", RENAMED)
    second.next()
    second.expect_heading("Se over og send inn")
    assert _answer(second, "Navn på tiltaket") == RENAMED

    # The first tab still shows the old name; "Send inn" there does not send it.
    assert _answer(first, "Navn på tiltaket") == FIRST
    first.press(first.button("Send inn søknaden"))
    first.expect_heading("Se over og send inn")
    notice = page.get_by_role("alert").filter(has_text="endret etter at du åpnet")
    assert notice.inner_text().strip() == NOTICE
    # What would now be sent, and nothing sent yet.
    assert _answer(first, "Navn på tiltaket") == RENAMED
    assert FIRST not in page.inner_text("main")
    application = Application.objects.get(service_id="to-faner")
    assert application.status == Application.Status.DRAFT
    assert not Case.objects.filter(application=application).exists()
    assert page.locator("body").evaluate("b => b.scrollWidth <= window.innerWidth")

    # Sending from the summary shown again goes through, with the renamed event.
    first.press(first.button("Send inn søknaden"))
    first.expect_heading("Søknaden er sendt")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.answers["navn"] == RENAMED

    # The second tab's "Send inn" now finds it sent: the same receipt, nothing sent twice.
    second.press(second.button("Send inn søknaden"))
    second.expect_heading("Søknaden er sendt")
    assert second.page.url == page.url
    assert Application.objects.filter(service_id="to-faner").count() == 1
    assert Case.objects.filter(application=application).count() == 1
