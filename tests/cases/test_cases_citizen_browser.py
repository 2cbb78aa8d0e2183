"""The applicant's case pages in a real browser: WCAG 2.1 A/AA by axe, keyboard, strict CSP.

Uses the browser fixtures of support.browser (Debian's Chromium; skipped without it).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.cases import services
from support.cases import KARI, submitted_case

pytestmark = pytest.mark.browser


def _signed_in(browser_context, live_server) -> None:
    """Kari's session (as after her ID-porten login) in the browser."""
    client = Client()
    sign_in_citizen(client, KARI)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    browser_context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_the_case_pages_pass_axe_and_work_by_keyboard(
    page, browser_context, live_server, axe_check, agencies
):
    case = submitted_case()
    staff = sign_in_staff(Client(), [("naeringsetaten", "case_worker")])
    services.request_information(case, user=staff, body="Send oss en tegning.")
    _signed_in(browser_context, live_server)

    page.goto(f"{live_server.url}/min-side/")
    axe_check(page)
    page.get_by_role("link", name=f"sak {case.reference}").click()
    assert page.get_by_role("heading", name="Saksbehandleren ber om mer informasjon").count() == 1
    axe_check(page)

    # An empty answer, sent with the keyboard: the error summary and the field say why.
    page.get_by_label("Ditt svar").focus()
    page.keyboard.press("Tab")  # the file input
    page.keyboard.press("Tab")  # the send button
    assert page.evaluate("document.activeElement.textContent").strip() == "Send melding"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".ds-error-summary").count() == 1
    assert page.get_by_label("Ditt svar").get_attribute("aria-invalid") == "true"
    axe_check(page)

    page.get_by_label("Ditt svar").fill("Tegningen kommer i posten.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send melding").click()
    assert "Meldingen er sendt." in page.inner_text("main")
    case.refresh_from_db()
    assert case.status == "under_review"

    services.decide_case(
        case, user=staff, outcome="granted", justification="Alt er i orden.", legal_basis="§ 1."
    )
    page.reload()
    assert "Klagefristen er" in page.inner_text("main")
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Klag på vedtaket").click()
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send klagen").click()  # no grounds
    assert "Skriv hvorfor du klager på vedtaket." in page.inner_text("main")
    axe_check(page)
    assert page.csp_violations == []


def test_the_offer_passes_axe(page, browser_context, live_server, axe_check, agencies):
    case = submitted_case("barnehagesak", workflow="barnehage", title="Barnehageplass")
    staff = sign_in_staff(Client(), [("utdanningsetaten", "case_worker")])
    services.make_offer(
        case,
        user=staff,
        kindergarten_id="bhg-001",
        start_date=timezone.localdate() + dt.timedelta(days=40),
    )
    _signed_in(browser_context, live_server)
    page.goto(f"{live_server.url}/min-side/saker/{case.pk}/")
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Takk ja").click()
    assert "Du har takket ja til plassen." in page.inner_text("main")
    axe_check(page)
    assert page.csp_violations == []
