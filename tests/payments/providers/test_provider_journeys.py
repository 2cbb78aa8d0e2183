"""Paying an order through the payments services with Vipps and with Nets, each answered by
its local server: start, the person pays, the platform learns it (return page or webhook),
the worker captures once, and a timeout on the way changes nothing."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from iktipet.accounts.testing import sign_in_staff
from iktipet.core.errors import ActionRefused
from iktipet.payments import services
from iktipet.payments.models import PaymentOrder
from support.payments import make_order, run_worker, start
from support.vipps_server import WEBHOOK_SECRET


@pytest.fixture
def providers(pay_settings, vipps_server, nets_server):
    pay_settings.PAYMENT_PROVIDERS = ["testbank", "vipps", "nets"]
    pay_settings.VIPPS_CLIENT_ID = vipps_server.client_id
    pay_settings.VIPPS_CLIENT_SECRET = vipps_server.client_secret
    pay_settings.VIPPS_SUBSCRIPTION_KEY = vipps_server.subscription_key
    pay_settings.VIPPS_MSN = vipps_server.msn
    pay_settings.VIPPS_BASE_URL = vipps_server.url
    pay_settings.VIPPS_WEBHOOK_SECRET = WEBHOOK_SECRET
    pay_settings.NETS_SECRET_KEY = nets_server.secret_key
    pay_settings.NETS_BASE_URL = nets_server.url
    pay_settings.NETS_TERMS_URL = "https://iktipet.test/vilkar/"
    pay_settings.PAYMENT_PROVIDER_TIMEOUT = 1
    return pay_settings


def state_of(order) -> str:
    return PaymentOrder.objects.get(pk=order.pk).state


@pytest.mark.django_db
def test_vipps_return_page_authorises_and_the_worker_captures_once(
    providers, vipps_server, payable, agency, kari
):
    order = make_order(agency, kari)
    redirect = start(order, kari, "vipps")
    assert redirect.startswith(f"{vipps_server.url}/landing")
    attempt = order.attempts.get()
    assert attempt.provider_reference == f"{order.reference}-1"

    services.refresh_from_provider(order)  # back before paying: nothing happened
    assert state_of(order) == "pending"

    vipps_server.approve(attempt.provider_reference)
    services.refresh_from_provider(order)
    assert state_of(order) == "authorized"
    assert payable.authorized == ["p1"]

    run_worker()
    assert state_of(order) == "captured"
    aggregate = vipps_server.payments[attempt.provider_reference]["aggregate"]
    assert aggregate["capturedAmount"]["value"] == 52_000
    captures = [r for r in vipps_server.requests if r["path"].endswith("/capture")]
    assert len(captures) == 1


@pytest.mark.django_db
def test_a_vipps_webhook_settles_the_order(client, providers, vipps_server, payable, agency, kari):
    order = make_order(agency, kari)
    start(order, kari, "vipps")
    reference = order.attempts.get().provider_reference
    vipps_server.approve(reference)
    body, headers = vipps_server.webhook(
        secret=WEBHOOK_SECRET,
        reference=reference,
        name="AUTHORIZED",
        value=52_000,
        path="/betaling/webhook/vipps/",
        host="testserver",
    )
    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    response = client.post(
        "/betaling/webhook/vipps/", data=body, content_type="application/json", **meta
    )
    assert response.status_code == 200
    assert state_of(order) == "authorized"
    # The same delivery again has no further effect.
    client.post("/betaling/webhook/vipps/", data=body, content_type="application/json", **meta)
    assert payable.authorized == ["p1"]


@pytest.mark.django_db
def test_a_vipps_timeout_keeps_the_attempt_and_the_retry_is_the_same_payment(
    providers, vipps_server, payable, agency, kari
):
    order = make_order(agency, kari)
    vipps_server.delay_next(2.0)  # longer than the 1 s timeout
    with pytest.raises(ActionRefused):
        start(order, kari, "vipps")
    assert state_of(order) == "pending"
    redirect = start(order, kari, "vipps")  # the same key: Vipps answers the same payment
    assert redirect.startswith(f"{vipps_server.url}/landing")
    assert list(vipps_server.payments) == [f"{order.reference}-1"]


@pytest.mark.django_db
def test_nets_webhook_with_the_payments_secret_authorises_and_the_worker_charges(
    client, providers, nets_server, payable, agency, kari
):
    order = make_order(agency, kari)
    redirect = start(order, kari, "nets")
    assert redirect.startswith(f"{nets_server.url}/hpp/") and "language=nb-NO" in redirect
    attempt = order.attempts.get()
    created = nets_server.payments[attempt.provider_reference]["request"]
    hook = created["notifications"]["webHooks"][0]
    assert hook["authorization"] == attempt.webhook_secret

    nets_server.reserve(attempt.provider_reference)
    body, headers = nets_server.webhook(
        "payment.reservation.created.v2.json", attempt.provider_reference, hook["authorization"]
    )
    url = urlsplit(hook["url"])
    forged = client.post(
        f"{url.path}?{url.query}",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION="x" * 32,
    )
    assert forged.status_code == 401 and state_of(order) == "pending"
    response = client.post(
        f"{url.path}?{url.query}",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=headers["Authorization"],
    )
    assert response.status_code == 200
    assert state_of(order) == "authorized"

    run_worker()
    assert state_of(order) == "captured"
    summary = nets_server.payments[attempt.provider_reference]["summary"]
    assert summary["chargedAmount"] == 52_000


def _authorise(provider, order, kari, vipps_server, nets_server) -> str:
    """Start paying ``order`` with ``provider``, the person pays, the return page learns it."""
    start(order, kari, provider)
    reference = order.attempts.get().provider_reference
    if provider == "vipps":
        vipps_server.approve(reference)
    else:
        nets_server.reserve(reference)
    services.refresh_from_provider(order)
    return reference


@pytest.mark.django_db
@pytest.mark.parametrize("provider", ["vipps", "nets"])
def test_a_partial_refund_by_finance_reaches_the_provider(
    client, providers, vipps_server, nets_server, payable, agency, kari, provider
):
    order = make_order(agency, kari)
    reference = _authorise(provider, order, kari, vipps_server, nets_server)
    run_worker()
    staff = sign_in_staff(client, [("naeringsetaten", "finance")])

    services.refund(PaymentOrder.objects.get(pk=order.pk), 12_050, user=staff, reason="Kortere")

    order.refresh_from_db()
    assert (order.state, order.refunded_ore) == ("captured", 12_050)
    if provider == "vipps":
        refunded = vipps_server.payments[reference]["aggregate"]["refundedAmount"]["value"]
    else:
        refunded = nets_server.payments[reference]["summary"]["refundedAmount"]
    assert refunded == 12_050


@pytest.mark.django_db
@pytest.mark.parametrize("provider", ["vipps", "nets"])
def test_an_authorisation_the_payable_refuses_is_cancelled_at_the_provider_never_captured(
    providers, vipps_server, nets_server, payable, agency, kari, provider
):
    payable.refuse = "Utkastet er endret."
    order = make_order(agency, kari)
    reference = _authorise(provider, order, kari, vipps_server, nets_server)
    run_worker()

    assert state_of(order) == "open"  # the person can pay again
    assert payable.authorized == []
    if provider == "vipps":
        aggregate = vipps_server.payments[reference]["aggregate"]
        assert (aggregate["capturedAmount"]["value"], aggregate["cancelledAmount"]["value"]) == (
            0,
            52_000,
        )
    else:
        summary = nets_server.payments[reference]["summary"]
        assert "chargedAmount" not in summary and summary["cancelledAmount"] == 52_000
