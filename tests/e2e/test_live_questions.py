"""Questions that appear as you answer (issue 14.4), in a real browser as in the demo: on
nabovarsel's first step, choosing "garage" brings the garage questions at once (the step is
posted to the server's preview, nothing saved), the change is announced in an aria-live
region, axe passes on the updated page and no CSP rule is broken; another choice swaps
them. With JavaScript off the same answer needs "Neste steg", and the page says so."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from support.seed_journeys import KARI, Journey, seed_site  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser]

WHAT = "Hva vil du gjøre?"
AREA = "Bebygd areal og bruksareal (m²)"
TERRAIN = "Hvor mye endres terrenget på det meste? (meter)"


@pytest.fixture
def nojs_page(browser: Any, seed_site: str) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(base_url=seed_site, locale="nb-NO", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.csp_violations = []
    yield page
    context.close()


def _first_step(person: Journey) -> None:
    person.start_service("nabovarsel", KARI, "substantial", "Nabovarsel")
    person.begin()
    person.expect_heading("Trenger du å søke?")


def test_questions_appear_as_you_answer(page, seed_site, axe_check):  # noqa: F811
    person = Journey(page, seed_site, axe_check)
    _first_step(person)
    live = page.locator("[data-live-status]")
    assert live.get_attribute("aria-live") == "polite"
    assert person.field(AREA).count() == 0

    person.choose(WHAT, "Bygge garasje, uthus eller bod")
    person.field(AREA).wait_for()  # no page load: the question came with the answer
    page.wait_for_function(
        "document.querySelector('[data-live-status]').textContent.includes('Bebygd areal')"
    )
    assert live.inner_text().startswith("Nye spørsmål:")
    assert page.locator("#revealed").count() == 0
    person.check()  # axe and CSP on the updated page

    # Another answer swaps the questions, announced too.
    person.choose(WHAT, "Grave eller fylle (endre terrenget)")
    person.field(TERRAIN).wait_for()
    person.field(AREA).wait_for(state="detached")
    page.wait_for_function(
        "document.querySelector('[data-live-status]').textContent.includes('Spørsmål fjernet')"
    )
    person.choose(WHAT, "Bygge garasje, uthus eller bod")
    person.field(AREA).wait_for()
    page.locator("input[name=_shown][value=garage_area_m2]").wait_for(state="attached")

    # One press: the page already showed the questions, so the server asks for the answers
    # at once instead of showing the step again to reveal them.
    person.next()
    person.expect_heading("Trenger du å søke?")
    errors = person.error_summary()
    assert any("Bebygd areal" in text for text, _ in errors), errors
    assert page.locator("#revealed").count() == 0


def test_without_javascript_the_page_says_what_appeared(nojs_page, seed_site):  # noqa: F811
    person = Journey(nojs_page, seed_site, None)
    _first_step(person)
    person.choose(WHAT, "Bygge garasje, uthus eller bod")
    person.next()
    person.expect_heading("Trenger du å søke?")
    notice = nojs_page.locator("#revealed").inner_text()
    assert "nye spørsmål" in notice and "«Bebygd areal og bruksareal»" in notice, notice
    assert nojs_page.locator("#error-summary").count() == 0


def _hold_previews(page: Any) -> list[Any]:
    """Previews wait here until the test lets them go: the server answering late, as under load."""
    held: list[Any] = []

    def hold(route: Any) -> None:
        held.append(route)

    page.route("**/forhandsvisning/", hold)
    return held


def _wait_for_held(page: Any, held: list[Any], count: int = 1) -> None:
    for _ in range(200):
        if len(held) >= count:
            return
        page.wait_for_timeout(25)
    raise AssertionError(f"expected {count} held preview(s), saw {len(held)}")


def _idle(page: Any) -> None:
    page.wait_for_function(
        "() => document.querySelector('[data-live-url]').getAttribute('data-live-state') === 'idle'"
    )


def test_a_late_preview_leaves_the_field_being_typed_in_alone(page, seed_site, axe_check):  # noqa: F811
    person = Journey(page, seed_site, axe_check)
    _first_step(person)
    person.choose(WHAT, "Bygge garasje, uthus eller bod")
    person.field(AREA).wait_for()
    _idle(page)

    held = _hold_previews(page)
    person.field(AREA).click()
    page.keyboard.type("3")
    _wait_for_held(page, held)  # asked 400 ms after the key, and still on its way
    held[0].continue_()
    _idle(page)
    # The preview came back while the person was in the field: the field was not moved, so
    # the focus is still there and the next key lands in it.
    page.keyboard.type("5")
    assert person.field(AREA).input_value() == "35"
    assert page.evaluate("document.activeElement.getAttribute('name')") == "garage_area_m2"


def test_next_pressed_before_the_preview_is_back_waits_for_it(page, seed_site, axe_check):  # noqa: F811
    person = Journey(page, seed_site, axe_check)
    _first_step(person)
    held = _hold_previews(page)
    page.evaluate("window.samePage = true")

    # The answer reveals questions, but the preview is late: "Neste steg" waits for it, and
    # the new questions are shown here, announced, without a round trip to the server.
    person.choose(WHAT, "Bygge garasje, uthus eller bod")
    _wait_for_held(page, held)
    page.locator(".app-actions button[value=next]").click()
    held[0].continue_()
    person.field(AREA).wait_for()
    _idle(page)
    assert page.evaluate("window.samePage === true")
    assert page.locator("#revealed").count() == 0
    assert "Bebygd areal" in page.locator("[data-live-status]").inner_text()

    # An answer that reveals nothing: the press goes on as made once the preview is back.
    person.field(AREA).fill("30")
    with page.expect_navigation():
        page.locator(".app-actions button[value=next]").click()
        _wait_for_held(page, held, 2)  # the typing pause was cut short by the press
        held[1].continue_()
    person.check()
    assert page.evaluate("window.samePage === undefined")
    assert page.locator("#revealed").count() == 0
