"""A fee paid with the application, over HTTP with the testbank: the summary's breakdown,
"Betal og send inn", the return that submits, the worker's capture, the receipt; a fee of 0,
a declined payment, double clicks, tampered posts, a draft changed while paying."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from iktipet.accounts.testing import sign_in_citizen
from iktipet.applications.models import Application
from iktipet.cases.models import Case
from iktipet.payments.models import PaymentAttempt, PaymentOrder
from iktipet.payments.models import TestbankPayment as BankPayment
from support.applications import KARI, OLA, form_service, publish, text
from support.payments import run_worker

pytestmark = pytest.mark.django_db

STEPS = [
    {
        "id": "arrangement",
        "title": text("Arrangementet"),
        "fields": [
            {"id": "deltakere", "type": "integer", "label": text("Deltakere"), "min": 1},
        ],
    }
]
#: Two tiers, and free for the smallest events: the lines say which applies.
FEE = {
    "when": "application",
    "description": text("Etter antall deltakere."),
    "lines": [
        {
            "text": text("Opptil 150 deltakere"),
            "amount": "deltakere > 10 && deltakere <= 150 ? 440 : 0",
        },
        {"text": text("Flere enn 150 deltakere"), "amount": "deltakere > 150 ? 1100 : 0"},
    ],
}


@pytest.fixture
def paying(offline_settings, monkeypatch):
    offline_settings.PAYMENT_PROVIDERS = ["testbank"]
    offline_settings.TESTBANK_WEBHOOK_DELAY_SECONDS = 0
    offline_settings.TESTBANK_SECRET = "test-secret-0123456789abcdef"
    from iktipet.payments.testbank import webhooks

    client = Client()

    def post(url, body, headers):  # the testbank's webhooks reach the platform in-process
        path = "/" + url.split("://", 1)[-1].partition("/")[2]
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        extra.pop("HTTP_CONTENT_TYPE", None)
        return client.post(path, body, content_type="application/json", **extra).status_code

    monkeypatch.setattr(webhooks, "post", post)
    return offline_settings


@pytest.fixture
def version(paying):
    return publish(form_service(STEPS, id="enkelt-arrangement", agency="naeringsetaten", fee=FEE))


def _draft(client, participants: int, token: str = "5d0c3f7e-1111-4a4a-9a9a-000000000001"):
    sign_in_citizen(client, KARI)
    start = reverse("applications:start", args=["enkelt-arrangement"])
    assert client.post(start, {"start_token": token}).status_code == 302
    application = Application.objects.latest("created_at")
    _answer(client, application, participants)
    return application


def _answer(client, application, participants: int) -> None:
    step = reverse("applications:step", args=[application.pk, "arrangement"])
    response = client.post(step, {"deltakere": str(participants), "_action": "next"})
    assert response.status_code == 302, response.content.decode()[:2000]


def _pay(client, application, data=None):
    return client.post(reverse("applications:pay", args=[application.pk]), data or {})


def _checkout(client, application, data=None) -> str:
    response = _pay(client, application, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith("/betaling/testbank/"), response["Location"]
    return response["Location"]


def _decide(client, checkout: str, decision: str) -> PaymentOrder:
    back = client.post(checkout, {"decision": decision})
    assert back.status_code == 302
    order = PaymentOrder.objects.get()
    landed = client.get(reverse("payments:return", args=[order.pk]))
    assert landed.status_code == 302
    order.refresh_from_db()
    order.landed = landed["Location"]
    return order


def test_summary_shows_the_fee_with_its_lines_and_pay_and_submit(client, version):
    application = _draft(client, 120)
    page = client.get(reverse("applications:summary", args=[application.pk])).content.decode()
    assert "Du skal betale 440,00\xa0kr." in page
    assert "Opptil 150 deltakere" in page and "Flere enn 150 deltakere" not in page
    assert "Betal og send inn" in page and "Send inn søknaden" not in page
    assert reverse("applications:pay", args=[application.pk]) in page


def test_paid_with_the_testbank_submits_and_the_worker_captures(client, version):
    application = _draft(client, 120)
    checkout = _checkout(client, application)
    order = PaymentOrder.objects.get()
    assert (order.payable_kind, order.payable_id) == ("application", str(application.pk))
    assert order.amount_ore == 44_000 and order.state == "pending"
    assert [(line.text, line.amount_ore) for line in order.lines.all()] == [
        ("Opptil 150 deltakere", 44_000)
    ]
    application.refresh_from_db()
    assert application.is_draft  # nothing is submitted before the provider says so

    order = _decide(client, checkout, "approve")
    assert order.state == "authorized"
    assert order.landed == reverse("applications:receipt", args=[application.pk])
    application.refresh_from_db()
    assert application.status == "submitted" and application.fee_ore == 44_000
    assert application.summary["payment"]["reference"] == order.reference
    case = Case.objects.get(application=application)  # opened in the same transaction

    receipt = client.get(order.landed).content.decode()
    assert order.reference in receipt and "Dette har du betalt" in receipt
    assert "440,00\xa0kr, betalt" in receipt and "Opptil 150 deltakere" in receipt

    run_worker()  # the capture is the worker's, never the browser's
    order.refresh_from_db()
    assert order.state == "captured" and order.captured_ore == 44_000
    assert BankPayment.objects.get().captured_ore == 44_000
    assert case.events.filter(kind="received").exists()


def test_the_receipt_pdf_shows_what_was_paid(client, version):
    from django.template.loader import render_to_string

    from iktipet.applications.receipt import receipt_context

    application = _draft(client, 400)
    order = _decide(client, _checkout(client, application), "approve")
    response = client.get(reverse("applications:receipt_pdf", args=[application.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    application.refresh_from_db()
    # The PDF is this template rendered by WeasyPrint (its text is not extracted here).
    html = render_to_string("documents/receipt.html", receipt_context(application))
    assert f"1\xa0100,00\xa0kr ({order.reference})" in html
    assert "Flere enn 150 deltakere" in html


def test_the_notifications_say_what_was_paid(client, version, kari):
    from iktipet.applications import tasks
    from iktipet.messaging.models import Notification

    application = _draft(client, 400)
    order = _decide(client, _checkout(client, application), "approve")
    # The case destination's receipt notice names the amount paid.
    run_worker()
    notice = Notification.objects.get(event="case.received")
    assert notice.context["amount"] == "1\xa0100,00\xa0kr"
    assert any("Du har betalt gebyret på 1\xa0100,00\xa0kr" in m.body for m in mail.outbox)
    # A destination that does not notify: the confirmation email says it instead.
    assert tasks.send_confirmation_email.call(str(application.pk))
    assert f"Du har betalt 1\xa0100,00\xa0kr (betalingsreferanse {order.reference})" in (
        mail.outbox[-1].body
    )


def test_submit_without_paying_is_refused_and_the_draft_stays(client, version):
    application = _draft(client, 120)
    response = client.post(reverse("applications:submit", args=[application.pk]))
    assert response["Location"] == reverse("applications:summary", args=[application.pk])
    application.refresh_from_db()
    assert application.is_draft and not PaymentOrder.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Du må betale gebyret før søknaden kan sendes inn." in page


def test_a_fee_of_0_skips_payment(client, version):
    application = _draft(client, 5)
    page = client.get(reverse("applications:summary", args=[application.pk])).content.decode()
    assert "Søknaden er gratis." in page and "Send inn søknaden" in page
    response = _pay(client, application)  # "Pay" on a free draft submits it
    assert response["Location"] == reverse("applications:receipt", args=[application.pk])
    application.refresh_from_db()
    assert application.status == "submitted" and application.fee_ore == 0
    assert not PaymentOrder.objects.exists()


def test_a_declined_payment_leaves_the_draft_to_pay_again(client, version):
    application = _draft(client, 120)
    order = _decide(client, _checkout(client, application), "decline")
    assert order.state == "open"
    application.refresh_from_db()
    assert application.is_draft and application.answers["deltakere"] == 120
    again = _checkout(client, application)
    order = _decide(client, again, "approve")
    assert order.state == "authorized" and PaymentAttempt.objects.count() == 2
    application.refresh_from_db()
    assert application.status == "submitted"


def test_an_abandoned_payment_returns_to_the_summary(client, version):
    application = _draft(client, 120)
    order = _decide(client, _checkout(client, application), "abandon")
    assert order.state == "open"
    application.refresh_from_db()
    assert application.is_draft


def test_double_click_on_pay_makes_one_order_and_one_payment(client, version):
    application = _draft(client, 120)
    first = _checkout(client, application)
    second = _checkout(client, application)
    assert first == second
    assert PaymentOrder.objects.count() == 1 and PaymentAttempt.objects.count() == 1
    assert BankPayment.objects.count() == 1


def test_tampered_amounts_and_ids_in_the_post_change_nothing(client, version):
    application = _draft(client, 120)
    other = PaymentOrder.objects.none()
    _checkout(
        client,
        application,
        {
            "amount_ore": "1",
            "amount": "1",
            "fee_ore": "1",
            "order": str(application.pk),
            "order_id": "00000000-0000-0000-0000-000000000000",
            "payable_id": "someone-else",
        },
    )
    order = PaymentOrder.objects.get()
    assert order.amount_ore == 44_000 and order.payable_id == str(application.pk)
    assert not other.exists()


def test_an_unknown_provider_in_the_post_is_refused_on_the_summary(client, version):
    application = _draft(client, 120)
    response = _pay(client, application, {"provider": "paypal"})
    assert response.status_code == 400
    assert "Velg en betalingsmåte." in response.content.decode()
    application.refresh_from_db()
    assert application.is_draft and not PaymentAttempt.objects.exists()


def test_another_persons_draft_cannot_be_paid(client, version):
    application = _draft(client, 120)
    other = Client()
    sign_in_citizen(other, OLA)
    assert other.post(reverse("applications:pay", args=[application.pk])).status_code == 404
    assert not PaymentOrder.objects.exists()
    _checkout(client, application)
    order = PaymentOrder.objects.get()
    assert other.get(reverse("payments:order", args=[order.pk])).status_code == 404
    assert (
        other.post(reverse("payments:pay", args=[order.pk]), {"provider": "testbank"}).status_code
        == 404
    )


def test_a_draft_changed_while_paying_is_not_submitted_for_the_old_amount(client, version):
    application = _draft(client, 120)
    checkout = _checkout(client, application)
    _answer(client, application, 400)  # now 1 100 kr, while 440 kr is at the provider
    order = _decide(client, checkout, "approve")
    application.refresh_from_db()
    assert application.is_draft  # refused: the reservation is cancelled, never captured
    assert order.state != "authorized" and order.captured_ore == 0
    run_worker()
    assert BankPayment.objects.get().captured_ore == 0
    # Paying again charges the new amount and submits.
    order = _decide(client, _checkout(client, application), "approve")
    assert order.amount_ore == 110_000 and order.state == "authorized"
    application.refresh_from_db()
    assert application.status == "submitted" and application.fee_ore == 110_000


def test_a_fee_claimed_after_the_decision_is_not_paid_with_the_application(client, paying):
    publish(
        form_service(
            STEPS, id="enkelt-arrangement", agency="naeringsetaten", fee={**FEE, "when": "decision"}
        )
    )
    application = _draft(client, 400)
    page = client.get(reverse("applications:summary", args=[application.pk])).content.decode()
    assert "Gebyret krever vi inn hvis søknaden blir innvilget" in page
    assert "Send inn søknaden" in page and "Betal og send inn" not in page
    response = client.post(reverse("applications:submit", args=[application.pk]))
    assert response["Location"] == reverse("applications:receipt", args=[application.pk])
    application.refresh_from_db()
    assert application.fee_ore == 110_000 and not PaymentOrder.objects.exists()
    receipt = client.get(response["Location"]).content.decode()
    assert re.search(r"1\xa0100,00\xa0kr – krevd inn hvis søknaden blir innvilget", receipt)


def test_the_providers_offered_are_the_platforms_narrowed_by_the_definition(client, paying):
    paying.PAYMENT_PROVIDERS = ["testbank", "vipps"]
    publish(form_service(STEPS, id="enkelt-arrangement", agency="naeringsetaten", fee=FEE))
    application = _draft(client, 120)
    summary = reverse("applications:summary", args=[application.pk])
    page = client.get(summary).content.decode()
    assert 'name="provider" id="provider-testbank"' in page
    assert 'name="provider" id="provider-vipps"' in page
    # The person must choose one that is offered: another is refused, the choice kept.
    refused = _pay(client, application, {"provider": "nets"})
    assert refused.status_code == 400 and "Velg en betalingsmåte." in refused.content.decode()
    assert not PaymentAttempt.objects.exists()

    publish(
        form_service(
            STEPS,
            id="enkelt-arrangement",
            agency="naeringsetaten",
            fee={**FEE, "providers": ["testbank"]},
        )
    )
    application = _draft(client, 120, token="5d0c3f7e-1111-4a4a-9a9a-000000000002")
    page = client.get(reverse("applications:summary", args=[application.pk])).content.decode()
    assert '<input type="hidden" name="provider" value="testbank">' in page
    assert "provider-vipps" not in page


def test_the_fee_and_the_pay_button_in_english(client, version):
    application = _draft(client, 400)
    summary = reverse("applications:summary", args=[application.pk])
    page = client.get(summary, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pay and submit" in page and "What the fee is made up of" in page
    assert "NOK\xa01,100.00" in page
    assert "The fee is paid before the application is submitted." in page
