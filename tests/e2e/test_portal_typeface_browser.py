"""The typeface, the breadcrumb and the icon in a real browser: Inter is served from our own
static files and used (never Times), at 1280 and at 375 px, and axe still passes."""

from __future__ import annotations

import pytest

from support.seed_journeys import seed_site  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser]

#: Whether a face of ``family`` with ``weight`` finished loading (document.fonts.check alone
#: also answers true when no @font-face names the family at all, so both are asked).
FACE_LOADED = """([family, weight]) => [...document.fonts].some(
    face => face.family.replace(/["']/g, "") === family
        && String(face.weight) === weight && face.status === "loaded")"""


@pytest.mark.parametrize("width", [1280, 375])
def test_inter_loads_and_the_breadcrumb_has_one_separator(
    page,
    seed_site,  # noqa: F811
    axe_check,
    width,
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{seed_site}/tjenester/skjenkebevilling/")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px Inter')")
    assert page.evaluate(FACE_LOADED, ["Inter", "400"])
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith("Inter") and family.rstrip().endswith("sans-serif"), family
    heading = page.locator("h1").evaluate("h => getComputedStyle(h).fontFamily")
    assert heading.startswith("Inter"), heading

    # Designsystemet draws the breadcrumb's chevron; nothing else adds a "/".
    crumbs = page.locator("nav.ds-breadcrumbs li")
    assert crumbs.count() == 2
    for index in range(crumbs.count()):
        before = crumbs.nth(index).evaluate("li => getComputedStyle(li, '::before').content")
        assert before in ("none", "normal", '""'), before
    assert "/" not in page.locator("nav.ds-breadcrumbs").inner_text()

    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(f"{seed_site}{icon}").ok
    axe_check(page)
    assert page.csp_violations == []


def test_without_the_font_file_text_falls_back_to_sans_serif(page, seed_site):  # noqa: F811
    """The vendored files unreachable: the stack ends in the system's sans-serif, not Times."""
    page.route("**/vendor/inter/*.woff2", lambda route: route.abort())
    page.goto(f"{seed_site}/")
    page.evaluate("document.fonts.ready")
    assert not page.evaluate(FACE_LOADED, ["Inter", "400"])
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "sans-serif" in family and "Times" not in family
