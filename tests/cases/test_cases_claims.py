"""Payment claims on a case over HTTP: the fee a grant raises (computed from the answers, due
later, the applicant told), a claim a case worker raises by hand with a reason, the payments on
the staff and citizen case pages, the claim paid from Min side, and who may reach what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.cases.models import Claim
from iktipet.cases.services import claim_decision_fee
from iktipet.messaging.models import Notification
from iktipet.payments.models import PaymentOrder
from iktipet.payments.models import TestbankPayment as BankPayment
from support.applications import text
from support.cases import KARI, OLA, case_service, submitted_case
from support.payments import run_worker

pytestmark = pytest.mark.django_db

#: Two lines (the third comes to 0 kr and is left out), claimed 21 days after a grant.
FEE = {
    "when": "decision",
    "due_days": 21,
    "description": text("Behandlings- og kontrollgebyr."),
    "lines": [
        {"text": text("Behandlingsgebyr"), "amount": "750"},
        {"text": text("Kontrollgebyr"), "amount": "250.0"},
        {"text": text("Tillegg for store arrangementer"), "amount": "size(navn) > 500 ? 900 : 0"},
    ],
}


@pytest.fixture
def paying(offline_settings):
    offline_settings.PAYMENT_PROVIDERS = ["testbank"]
    offline_settings.TESTBANK_WEBHOOK_DELAY_SECONDS = 0
    offline_settings.TESTBANK_SECRET = "test-secret-0123456789abcdef"
    return offline_settings


@pytest.fixture
def fee_case(agencies, paying):
    case_service("gebyrsak", fee=FEE)
    return submitted_case("gebyrsak", publish_service=False)


@pytest.fixture
def worker(agencies):
    client = Client()
    sign_in_staff(client, [("naeringsetaten", "case_worker")])
    return client


def _url(name, case, *args):
    return reverse(f"casework:{name}", args=[case.pk, *args])


def _decide(client, case, outcome="granted"):
    response = client.post(
        _url("decide", case),
        {"outcome": outcome, "justification": "Vilkårene er oppfylt.", "legal_basis": "§ 1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _today():
    return timezone.localdate()


def test_a_grant_claims_the_fee_with_its_lines_due_later_and_tells_the_applicant(fee_case, worker):
    _decide(worker, fee_case)
    claim = Claim.objects.get(case=fee_case)
    assert claim.kind == "decision"
    order = PaymentOrder.objects.get(payable_kind="case", payable_id=str(claim.pk))
    assert order.amount_ore == 100_000 and order.state == "open"
    assert [(line.text, line.amount_ore) for line in order.lines.all()] == [
        ("Behandlingsgebyr", 75_000),
        ("Kontrollgebyr", 25_000),
    ]
    assert order.due_date == _today() + dt.timedelta(days=21)
    assert order.user == fee_case.applicant and order.agency == fee_case.agency
    notice = Notification.objects.get(event="payment.claim")
    assert notice.recipient_user == fee_case.applicant
    assert notice.link_path == reverse("payments:order", args=[order.pk])
    assert fee_case.events.filter(kind="claim_raised").exists()
    # The grant retried (or a second call) claims nothing more.
    assert claim_decision_fee(fee_case, user=None, outcome="granted") == claim
    assert PaymentOrder.objects.filter(payable_kind="case").count() == 1


@pytest.mark.parametrize("outcome", ["refused", "dismissed"])
def test_no_claim_without_a_grant(fee_case, worker, outcome):
    _decide(worker, fee_case, outcome)
    assert not Claim.objects.exists() and not PaymentOrder.objects.exists()


def test_a_service_without_a_decision_fee_claims_nothing(agencies, paying, worker):
    case = submitted_case()
    _decide(worker, case)
    assert not Claim.objects.exists()


def test_the_staff_page_lists_the_payments_with_a_link_to_refund(fee_case, worker):
    _decide(worker, fee_case)
    order = PaymentOrder.objects.get()
    page = worker.get(_url("case", fee_case)).content.decode()
    assert order.reference in page and "1\xa0000,00\xa0kr" in page
    assert reverse("payments_staff:order", args=[order.pk]) in page
    assert "Gebyr etter vedtak" in page and "Til betaling" in page
    assert "Betalingskrav på 1\xa0000,00\xa0kr" in page  # the timeline


def test_the_applicant_pays_the_claim_from_the_case_page(client, fee_case, worker):
    _decide(worker, fee_case)
    order = PaymentOrder.objects.get()
    sign_in_citizen(client, KARI)
    page = client.get(reverse("cases:case", args=[fee_case.pk])).content.decode()
    assert "Betal nå" in page and reverse("payments:order", args=[order.pk]) in page
    tampered = {"provider": "testbank", "amount_ore": "100", "amount": "1", "order": "x"}
    checkout = client.post(reverse("payments:pay", args=[order.pk]), tampered)
    assert checkout.status_code == 302
    # What goes to the provider is the claim's amount, whatever the form said.
    assert BankPayment.objects.get().amount_ore == 100_000
    client.post(checkout["Location"], {"decision": "approve"})
    landed = client.get(reverse("payments:return", args=[order.pk]))
    assert landed["Location"] == reverse("payments:order", args=[order.pk])
    order.refresh_from_db()
    assert order.state == "authorized"
    assert fee_case.events.filter(kind="claim_paid").exists()
    run_worker()
    order.refresh_from_db()
    assert order.state == "captured"
    page = client.get(reverse("cases:case", args=[fee_case.pk])).content.decode()
    assert "Se betalingen" in page and "er betalt" in page


def test_another_person_cannot_see_or_pay_the_claim(fee_case, worker):
    _decide(worker, fee_case)
    order = PaymentOrder.objects.get()
    other = Client()
    sign_in_citizen(other, OLA)
    assert other.get(reverse("payments:order", args=[order.pk])).status_code == 404
    response = other.post(reverse("payments:pay", args=[order.pk]), {"provider": "testbank"})
    assert response.status_code == 404
    assert other.get(reverse("cases:case", args=[fee_case.pk])).status_code == 404


MANUAL = {
    "text": "Ny befaring av lokalet",
    "amount": "1 250,50",
    "reason": "Lokalet måtte kontrolleres på nytt etter ombyggingen.",
    "due_date": "",
}


def test_a_case_worker_raises_a_claim_by_hand_with_a_reason(agencies, paying, worker):
    case = submitted_case()
    due = _today() + dt.timedelta(days=14)
    response = worker.post(_url("claim", case), {**MANUAL, "due_date": due.isoformat()})
    assert response.status_code == 302 and response.url == _url("case", case)
    claim = Claim.objects.get(case=case)
    assert claim.kind == "manual" and claim.reason == MANUAL["reason"]
    order = PaymentOrder.objects.get(payable_kind="case", payable_id=str(claim.pk))
    assert order.amount_ore == 125_050 and order.due_date == due
    assert order.reason == MANUAL["reason"] and order.created_by is not None
    assert order.user == case.applicant
    assert Notification.objects.filter(event="payment.claim").count() == 1
    page = worker.get(_url("case", case)).content.decode()
    assert "Ny befaring av lokalet" in page and MANUAL["reason"] in page
    # A second claim on the same case is its own order.
    worker.post(_url("claim", case), {**MANUAL, "text": "Gebyr for sen rapport", "due_date": due})
    assert Claim.objects.filter(case=case).count() == 2
    assert PaymentOrder.objects.filter(payable_kind="case").count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reason": "  "}, "reason", "Skriv begrunnelsen for kravet."),
        ({"text": ""}, "text", "Skriv hva kravet gjelder."),
        ({"amount": "tusen"}, "amount", "Skriv beløpet i kroner"),
        ({"amount": "0"}, "amount", "Beløpet må være mer enn 0 kr."),
        ({"amount": "-5"}, "amount", "Beløpet må være mer enn 0 kr."),
        ({"due_date": "2020-01-01"}, "due_date", "Forfallsdatoen må være fra i dag"),
        ({"due_date": "31.02.2027"}, "due_date", "Skriv forfallsdatoen som dd.mm.åååå."),
    ],
)
def test_a_claim_by_hand_is_refused_with_the_error_at_its_field_and_what_was_typed_kept(
    agencies, paying, worker, changes, field, message
):
    case = submitted_case()
    data = {**MANUAL, "due_date": (_today() + dt.timedelta(days=7)).isoformat(), **changes}
    response = worker.post(_url("claim", case), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="claim-{field}-error">' in page and message in page
    assert "Ny befaring av lokalet" in page or changes.get("text") == ""
    assert not Claim.objects.exists() and not PaymentOrder.objects.exists()


def test_only_the_agencys_case_workers_may_raise_a_claim(agencies, paying):
    case = submitted_case()
    data = {**MANUAL, "due_date": (_today() + dt.timedelta(days=7)).isoformat()}
    elsewhere = Client()
    sign_in_staff(elsewhere, [("utdanningsetaten", "case_worker")], username="other-agency")
    assert elsewhere.post(_url("claim", case), data).status_code == 404
    citizen = Client()
    sign_in_citizen(citizen, KARI)
    assert citizen.post(_url("claim", case), data).status_code in (302, 403, 404)
    assert not Claim.objects.exists()
