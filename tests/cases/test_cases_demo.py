"""The cases demo loader: through `load_demo` on a fresh database, twice, the demo holds each
case, the offer, the neighbours' notices and the thread exactly once (synthetic data)."""

from __future__ import annotations

import logging

import pytest
from django.core.management import call_command

from iktipet.accounts.models import User
from iktipet.accounts.parties import ORGANISATION, PERSON, ActingParty
from iktipet.applications.models import Application, Attachment
from iktipet.cases import demo_data, demo_support
from iktipet.cases.models import Case, CaseEvent, Decision, HearingRequest, Offer
from iktipet.core.models import AuditEvent
from iktipet.messaging.models import Message, Notification
from iktipet.nabovarsel.models import NeighbourNotice
from iktipet.payments.models import PaymentOrder

pytestmark = pytest.mark.django_db

KARI, JONAS = "17819049912", "30879549945"
NORA, FATIMA = "24927149989", "19859349903"
TESTGRILLEN = ActingParty(ORGANISATION, "310000019", "Testgrillen Restaurant AS")
COUNTED = (
    Application,
    Attachment,
    Case,
    CaseEvent,
    Decision,
    HearingRequest,
    Offer,
    Message,
    Notification,
    NeighbourNotice,
    PaymentOrder,
    User,
)


@pytest.fixture(autouse=True)
def _demo_settings(settings):
    """As `iktipet demo` runs: TestID is the staff identity provider. Strict: a demo answer
    the service no longer accepts fails the test with its reason."""
    settings.TESTID_ENABLED = True
    settings.STAFF_OIDC_ISSUER = f"{settings.BASE_URL}/testid"
    settings.DEMO_CASES_STRICT = True


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _load() -> None:
    call_command("load_demo", verbosity=0)


def _citizen(pid: str) -> User:
    from iktipet.accounts.services import find_or_create_person

    return find_or_create_person(pid).user


def _myself(user: User) -> ActingParty:
    return ActingParty(PERSON, "", user.get_full_name())


def test_load_demo_twice_makes_every_case_once():
    _load()
    first = _counts()
    _load()
    assert _counts() == first

    assert Case.objects.filter(service_id="skjenkebevilling").count() == 2
    assert Case.objects.filter(service_id="skjenkebevilling-enkelt-anledning").count() == 1
    assert Case.objects.filter(service_id="barnehageplass").count() == 1
    assert Case.objects.filter(service_id="nabovarsel").count() == 1
    assert Case.objects.count() == 5
    assert PaymentOrder.objects.count() == 2  # the event's fee, paid; the granted one's claim
    assert not Application.objects.filter(status=Application.Status.DRAFT).exists()


def test_skjenkebevilling_under_review_with_a_thread_of_two():
    _load()
    _load()
    case = Case.objects.get(service_id="skjenkebevilling", decided_at__isnull=True)
    assert case.status == "under_review"
    assert (case.party_kind, case.party_identifier) == ("organisation", "310000019")
    assert case.party_name == "Testgrillen Restaurant AS"
    assert case.application.fee_ore == 1_081_000  # 10 000 × 0,61 + 3 000 × 1,57 kr
    assert case.application.attachments.count() == len(demo_data.SKJENKE_FILES)
    messages = list(Message.objects.filter(thread=case.thread).order_by("created_at", "pk"))
    assert [(m.side, m.kind) for m in messages] == [
        ("staff", "information_request"),
        ("citizen", "answer"),
    ]
    assert messages[1].attachments.count() == 1
    # Kari sees it on Min side when she acts for Testgrillen.
    from iktipet.cases.selectors import cases_for_citizen

    kari = _citizen(KARI)
    assert case in cases_for_citizen(kari, TESTGRILLEN)


def test_the_case_worker_is_the_user_sara_logs_in_as():
    """Sara's TestID login (the same claims, the real staff sign-in) lands on the user the
    cases are assigned to, and her inbox holds them."""
    from iktipet.accounts.oidc.provider import staff_provider
    from iktipet.accounts.services import staff_for_claims
    from iktipet.cases.selectors import cases_for_staff
    from iktipet.testid.claims import userinfo_claims
    from iktipet.testid.models import Login

    _load()
    login = Login(
        kind=Login.Kind.STAFF,
        client_id=demo_data.settings.STAFF_OIDC_CLIENT_ID,
        staff_username="sara.saksbehandler",
    )
    sara = staff_for_claims(staff_provider(), userinfo_claims(login))
    skjenke = Case.objects.filter(service_id__startswith="skjenkebevilling")
    assert skjenke.count() == 3
    assert {case.assignee_id for case in skjenke} == {sara.pk}
    assert set(cases_for_staff(sara)) == set(skjenke)
    assert sara.get_full_name() == "Sara Saksbehandler"
    ulla = Case.objects.get(service_id="barnehageplass").assignee
    assert ulla.username != sara.username and ulla.get_full_name() == "Ulla Utdanning"
    assert Case.objects.get(service_id="nabovarsel").assignee is None
    assert not User.objects.filter(username=demo_data.FALLBACK_STAFF).exists()


def test_a_granted_decision_the_applicant_may_appeal():
    _load()
    case = Case.objects.get(service_id="skjenkebevilling", decided_at__isnull=False)
    assert case.status == "decided"
    decision = Decision.objects.get(case=case)
    assert decision.outcome == "granted"
    assert "Alkoholloven" in decision.legal_basis and decision.justification
    assert decision.appeal_body
    assert case.hearings.count() == 3
    assert not case.hearings.filter(answered_at__isnull=True).exists()
    assert Notification.objects.filter(event="case.decided").count() == 1


def test_an_open_offer_for_the_first_choice():
    from iktipet.cases.selectors import cases_for_citizen, open_offer_of

    _load()
    _load()
    case = Case.objects.get(service_id="barnehageplass")
    assert case.status == "offered"
    assert case.application.answers["child"] == "05892699935"  # Leah, Jonas' daughter
    offer = Offer.objects.get()
    assert offer.case == case and offer.status == Offer.Status.OFFERED
    assert offer.kindergarten_id == case.application.answers["kindergartens"][0] == "bhg-001"
    assert offer.kindergarten_name == "Barnehagen Testlia"
    jonas = _citizen(JONAS)
    assert list(cases_for_citizen(jonas, _myself(jonas))) == [case]
    assert open_offer_of(case) == offer


def test_nabovarsel_notices_the_neighbours_once():
    from iktipet.nabovarsel.selectors import notices_for_neighbour

    _load()
    _load()
    case = Case.objects.get(service_id="nabovarsel")
    assert case.applicant == _citizen(KARI)
    notices = NeighbourNotice.objects.filter(case=case)
    # 901/10 Nora, 901/11 Fatima, 901/14 Dahl Eksempelbygg AS, 901/20 Aksel and Nora: one
    # notice per neighbour, so Nora's lists both her properties.
    assert sorted((n.properties_text, n.name) for n in notices) == [
        ("0301-901/10, 0301-901/20", "Nora Lie-Test"),
        ("0301-901/11", "Fatima Ali-Test"),
        ("0301-901/14", "Dahl Eksempelbygg AS"),
        ("0301-901/20", "Aksel Lie-Test"),
    ]
    for pid, count in ((NORA, 1), (FATIMA, 1)):
        neighbour = _citizen(pid)  # as their first TestID login makes them
        assert notices_for_neighbour(neighbour, _myself(neighbour)).count() == count
    kari = _citizen(KARI)
    assert not notices_for_neighbour(kari, _myself(kari)).exists()


def test_without_testid_a_synthetic_case_worker_acts_and_nothing_is_assigned(settings):
    settings.TESTID_ENABLED = False
    _load()
    _load()
    worker = User.objects.get(username=demo_data.FALLBACK_STAFF)
    assert worker.is_staff and not worker.has_usable_password()
    assert set(worker.staff_roles.values_list("agency__slug", "role")) == {
        ("naeringsetaten", "case_worker"),
        ("utdanningsetaten", "case_worker"),
        ("plan-og-bygningsetaten", "case_worker"),
    }
    assert Case.objects.count() == 5
    assert not Case.objects.filter(assignee__isnull=False).exists()
    assert Offer.objects.get().made_by == worker


def _break_the_skjenke_answers(monkeypatch):
    """As if the service had changed: the deputy (born 2007) is now too young."""
    real = demo_data._skjenke_answers

    def answers(*args, **kwargs):
        data = real(*args, **kwargs)
        data["people"]["stedfortreder-fnr"] = "21820799965"
        return data

    monkeypatch.setattr(demo_data, "_skjenke_answers", answers)


def test_an_answer_the_service_refuses_fails_loudly_in_strict_mode(monkeypatch):
    _break_the_skjenke_answers(monkeypatch)
    with pytest.raises(demo_support.DemoDataInvalid, match="people"):
        _load()


def test_otherwise_it_is_a_warning_and_the_rest_loads(monkeypatch, settings, caplog):
    settings.DEMO_CASES_STRICT = False
    _break_the_skjenke_answers(monkeypatch)
    with caplog.at_level(logging.WARNING, logger="iktipet.cases.demo_data"):
        _load()
    warned = [r for r in caplog.records if r.name == "iktipet.cases.demo_data"]
    assert len(warned) == 2  # both skjenkebevilling scenarios
    assert "Stedfortrederen må være minst 20 år." in warned[0].getMessage()
    assert not Case.objects.filter(service_id="skjenkebevilling").exists()
    assert not Application.objects.filter(service_id="skjenkebevilling").exists()
    assert Case.objects.filter(service_id__in=["barnehageplass", "nabovarsel"]).count() == 2
    assert not AuditEvent.objects.filter(action="cases.decided").exists()


def test_the_demo_prints_who_to_log_in_as():
    from iktipet.core.demo import login_hints

    _load()
    assert any(hint.startswith("Kari Nordmann-Test") for hint in login_hints())


def test_the_granted_skjenkebevilling_has_an_open_claim_of_the_domain_example():
    from iktipet.cases.models import Claim

    _load()
    case = Case.objects.get(service_id="skjenkebevilling", decided_at__isnull=False)
    claim = Claim.objects.get(case=case, kind="decision")
    order = PaymentOrder.objects.get(payable_kind="case", payable_id=str(claim.pk))
    assert order.amount_ore == 1_184_800 and order.state == "open"  # 11 848 kr (DOMAIN.md)
    assert [line.amount_ore for line in order.lines.all()] == [610_000, 471_000, 103_800]
    assert order.due_date is not None
    assert (order.party_kind, order.party_identifier) == ("organisation", "310000019")
    assert Notification.objects.filter(event="payment.claim").count() == 1


def test_the_single_event_licence_was_paid_with_the_testbank_and_submitted():
    from support.payments import run_worker

    _load()
    case = Case.objects.get(service_id="skjenkebevilling-enkelt-anledning")
    order = PaymentOrder.objects.get(
        payable_kind="application", payable_id=str(case.application_id)
    )
    assert order.amount_ore == 88_000 and case.application.fee_ore == 88_000  # 301–500 people
    assert case.application.summary["payment"]["reference"] == order.reference
    assert order.state == "authorized"
    run_worker()  # as `iktipet demo`'s worker does
    order.refresh_from_db()
    assert order.state == "captured" and order.captured_ore == 88_000
