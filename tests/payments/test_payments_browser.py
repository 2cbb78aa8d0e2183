"""The payer's and the staff's payment pages in a real browser: WCAG 2.1 AA (axe), no CSP
violations, and paid with the keyboard only through the testbank's checkout."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.payments import services
from iktipet.payments.models import PaymentOrder
from support.payments import make_order


def _login(page, live_server, client, settings):
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_paying_with_the_keyboard_and_refunding(
    pay_settings, agencies, payable, live_server, page, axe_check, settings
):
    citizen = Client()
    person = sign_in_citizen(citizen)
    order = make_order(agencies["naeringsetaten"], person, due_date=None)
    _login(page, live_server, citizen, settings)
    page.goto(f"{live_server.url}{reverse('payments:order', args=[order.pk])}")
    axe_check(page)
    page.get_by_role("button", name="Betal 520,00").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Ingen ekte penger blir trukket")
    axe_check(page)
    page.get_by_role("button", name="Godkjenn betalingen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/min-side/?paid=p1")  # the return page asked the bank, then sent on
    order.refresh_from_db()
    assert order.state == "authorized"
    services.capture(order)
    assert PaymentOrder.objects.get(pk=order.pk).state == "captured"
    page.goto(f"{live_server.url}{reverse('payments:order', args=[order.pk])}")
    page.wait_for_selector("text=Se kvitteringen")
    axe_check(page)
    page.goto(f"{live_server.url}/min-side/")
    page.wait_for_selector("text=Betalinger og krav")
    axe_check(page)
    assert page.csp_violations == []

    staff = Client()
    sign_in_staff(staff, [("naeringsetaten", "finance")])
    page.context.clear_cookies()
    _login(page, live_server, staff, settings)
    page.goto(f"{live_server.url}{reverse('payments_staff:order', args=[order.pk])}")
    axe_check(page)
    page.get_by_label("Beløp i kroner").focus()
    page.keyboard.type("1000")
    page.get_by_role("button", name="Refunder").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#error-summary")
    axe_check(page)
    page.get_by_label("Beløp i kroner").fill("100")
    page.get_by_label("Begrunnelse").fill("Kortere arrangement")
    page.get_by_role("button", name="Refunder").click()
    page.wait_for_selector("text=Refundert 100,00")
    axe_check(page)
    page.goto(f"{live_server.url}{reverse('payments_staff:reconciliation')}")
    page.wait_for_selector("#total-net")
    assert "420,00" in page.inner_text("#total-net")
    axe_check(page)
    assert page.csp_violations == []
