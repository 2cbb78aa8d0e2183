"""The portal's public pages in a real browser: WCAG 2.1 A/AA by axe, keyboard, strict CSP."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("core_demo")]

PAGES = ["/", "/tjenester/", "/tilgjengelighet/", "/personvern/", "/finnes-ikke/"]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_wcag_violations(page, live_server, axe_check, path):
    page.goto(f"{live_server.url}{path}")
    axe_check(page)
    assert page.csp_violations == []


def test_front_page_in_english_has_no_wcag_violations(page, live_server, axe_check):
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    axe_check(page)


def test_tab_from_the_top_focuses_the_skip_link_first(page, live_server):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.get_attribute("href") == "#main"
    assert focused.inner_text().strip() == "Hopp til hovedinnhold"
    # The link is visible once it has focus, inside the viewport.
    box = focused.bounding_box()
    assert box is not None and box["y"] >= 0 and box["width"] > 1 and box["height"] > 1

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_works_by_keyboard_alone(page, live_server):
    page.goto(f"{live_server.url}/personvern/")
    button = page.get_by_role("button", name="English")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.value") == "en":
            break
    else:
        pytest.fail("Tab never reached the language switch")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/personvern/")
    assert page.locator("h1").inner_text() == "Privacy"
    assert button.count() == 0


def test_pages_work_with_javascript_disabled(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        page.get_by_role("button", name="English").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.locator("html").get_attribute("lang") == "en"
        page.get_by_role("link", name="Services", exact=True).first.click()
        page.wait_for_url(f"{live_server.url}/tjenester/")
        assert page.locator("h1").inner_text() == "Services"
    finally:
        context.close()


def test_axe_check_fails_on_a_page_with_violations(page, axe_check):
    """The helper itself must be able to fail, or every green run above means nothing."""
    page.set_content('<html><body><img src="x.png"><a href="/"></a></body></html>')
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        axe_check(page)
