"""The neighbour's notice page in a real browser: WCAG 2.1 AA (axe), no CSP violations,
answerable with the keyboard only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from support.nabovarsel import AKSEL, signed_in, submit_nabovarsel


@pytest.mark.browser
def test_the_notice_page_is_accessible_and_works_with_the_keyboard(
    nabovarsel_service, live_server, page, axe_check, settings
):
    _applicant, case = submit_nabovarsel()
    notice = case.neighbour_notices.get(name="Aksel Lie-Test")
    client = signed_in(AKSEL)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    url = f"{live_server.url}{reverse('nabovarsel:notice', args=[notice.pk])}"
    page.goto(url)
    axe_check(page)
    # Keyboard only: the "no consent" choice, no remark, submit → the error summary.
    page.get_by_label("Jeg har merknader").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Send svaret").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    assert "Skriv merknadene dine til tiltaket." in page.inner_text("#error-summary")
    axe_check(page)
    page.get_by_role("textbox", name="Merknader").focus()
    page.keyboard.type("Vi mister utsikten.")
    page.get_by_role("button", name="Send svaret").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Svaret ditt er sendt.")
    axe_check(page)
    assert page.csp_violations == []
    notice.refresh_from_db()
    assert notice.consent is False and notice.remark == "Vi mister utsikten."
