"""Min side and notification links in a real browser, at 1280 and 375 px, axe on every page:
Kari (daglig leder of Testgrillen) sees her own and Testgrillen's cases after a fresh login,
filters by party, and an SMS link to Testgrillen's case opens with a notice."""

from __future__ import annotations

import pytest

from iktipet.accounts.parties import ActingParty
from support.cases import case_service, submitted_case
from support.seed_journeys import KARI, TESTGRILLEN, Journey, seed_site  # noqa: F401

pytestmark = [pytest.mark.browser]

GRILL = ActingParty("organisation", TESTGRILLEN, "Testgrillen Restaurant AS")


@pytest.fixture
def two_parties(seed_site):  # noqa: F811
    """A case of Kari's own and one of Testgrillen's, sent over HTTP before she logs in."""
    case_service("egen-sak", title="Parkeringstillatelse")
    own = submitted_case("egen-sak", publish_service=False)
    case_service("grill-sak", title="Uteservering", representation_roles=("DAGL", "LEDE"))
    grill = submitted_case("grill-sak", publish_service=False, acting_for=GRILL)
    return own, grill


@pytest.mark.parametrize("width", [1280, 375])
def test_min_side_lists_both_parties_and_a_link_switches_party(
    page,
    seed_site,  # noqa: F811
    axe_check,
    two_parties,
    width,
):
    own, grill = two_parties
    page.set_viewport_size({"width": width, "height": 900})
    person = Journey(page, seed_site, axe_check)
    person.goto("/logg-inn/?next=/min-side/")
    person.testid_login(KARI, "substantial")
    person.expect_heading("Min side")
    main = page.inner_text("main")
    assert "Du bruker tjenestene på vegne av deg selv." in main
    # Both parties' cases, each under its party, with the case number and its agency.
    cases = page.locator("#min-side-cases").locator("..")
    groups = [h.strip() for h in cases.locator("h3").all_inner_texts()]
    assert groups == ["Meg selv", "Testgrillen Restaurant AS"]
    assert f"Næringsetaten · saksnummer {own.reference}" in main
    assert f"Næringsetaten · saksnummer {grill.reference}" in main
    assert page.locator("body").evaluate("b => b.scrollWidth <= window.innerWidth")

    # The filter narrows the page to one party, without JavaScript's help.
    page.get_by_label("Vis saker og meldinger for").select_option(
        label="Testgrillen Restaurant AS (org.nr. 310000019)"
    )
    person.press(person.button("Vis"))
    assert "Uteservering" in page.inner_text("#min-side-cases >> xpath=..")
    assert "Parkeringstillatelse" not in page.inner_text("#min-side-cases >> xpath=..")

    # An SMS link to Testgrillen's case, opened while acting as herself: it switches.
    person.goto(f"/min-side/saker/{grill.pk}/")
    person.expect_heading("Uteservering")
    notice = page.get_by_role("status").filter(has_text="på vegne av Testgrillen Restaurant AS")
    assert notice.is_visible()
    assert "hos Næringsetaten" in page.inner_text("main")
