"""The case actions: who may take them, from which status, and what each one records."""

from __future__ import annotations

import pytest
from django.utils import timezone

from iktipet.accounts.models import User
from iktipet.accounts.services import find_or_create_person, sync_staff_roles
from iktipet.cases import services
from iktipet.cases.models import Case, CaseEvent
from iktipet.core.errors import ActionRefused
from iktipet.core.models import Agency, AuditEvent, DomainEvent, Municipality
from iktipet.messaging.services import open_thread
from support.cases import submitted_case

pytestmark = pytest.mark.django_db


def _agency(slug: str) -> Agency:
    municipality = Municipality.objects.first() or Municipality.objects.create(
        name="Testkommune", kommunenummer="0301"
    )
    return Agency.objects.get_or_create(
        slug=slug, defaults={"municipality": municipality, "name_nb": slug, "name_en": slug}
    )[0]


def _staff(username: str, roles) -> User:
    user = User.objects.create(username=username, kind=User.Kind.STAFF, first_name=username)
    sync_staff_roles(user, roles)
    return user


@pytest.fixture
def agency():
    return _agency("naeringsetaten")


@pytest.fixture
def applicant():
    return find_or_create_person("17819049912").user


@pytest.fixture
def worker(agency):
    return _staff("sara", [("naeringsetaten", "case_worker")])


@pytest.fixture
def outsider():
    _agency("utdanningsetaten")
    return _staff("ulla", [("utdanningsetaten", "case_worker")])


def _case(agency, applicant, workflow="standard", status="received", sequence=1) -> Case:
    case = Case.objects.create(
        agency=agency,
        year=2026,
        sequence=sequence,
        kind=Case.Kind.APPLICATION,
        service_id="skjenkebevilling",
        title="Skjenkebevilling",
        workflow=workflow,
        status=status,
        applicant=applicant,
        party_name="Kari Nordmann-Test",
        search_name="kari nordmann-test",
        received_at=timezone.now(),
    )
    case.thread = open_thread(
        agency=agency, subject_type="cases.case", subject_id=str(case.pk), title=case.title
    )
    case.save(update_fields=["thread"])
    return case


def test_a_transition_moves_the_case_and_records_timeline_audit_and_event(
    agency, applicant, worker
):
    case = _case(agency, applicant)
    services.transition_case(case, "start_review", user=worker, note="Ser på saken")
    case.refresh_from_db()
    assert case.status == "under_review"
    event = CaseEvent.objects.get(case=case, kind="status_changed")
    assert (event.from_status, event.to_status, event.note) == (
        "received",
        "under_review",
        "Ser på saken",
    )
    assert AuditEvent.objects.filter(action="cases.start_review", target_id=str(case.pk)).exists()
    assert DomainEvent.objects.filter(
        type="no.iktipet.case.status_changed", subject=f"cases/{case.pk}"
    ).exists()


def test_a_case_worker_of_another_agency_may_not_move_it(agency, applicant, outsider):
    case = _case(agency, applicant)
    with pytest.raises(ActionRefused):
        services.transition_case(case, "start_review", user=outsider)
    case.refresh_from_db()
    assert case.status == "received"


def test_a_transition_from_the_wrong_status_is_refused(agency, applicant, worker):
    case = _case(agency, applicant)
    with pytest.raises(ActionRefused):
        services.transition_case(case, "close", user=worker)


def test_the_applicant_cannot_take_a_staff_transition(agency, applicant):
    case = _case(agency, applicant)
    with pytest.raises(ActionRefused):
        services.transition_case(case, "start_review", user=applicant, as_applicant=True)


def test_a_stale_case_is_not_moved_twice(agency, applicant, worker):
    case = _case(agency, applicant)
    stale = Case.objects.get(pk=case.pk)
    services.transition_case(case, "start_review", user=worker)
    stale.status = "received"  # as a second tab read it
    with pytest.raises(ActionRefused):
        services.transition_case(stale, "start_review", user=worker)
    assert CaseEvent.objects.filter(case=case, kind="status_changed").count() == 1


def test_request_information_waits_for_the_applicant_who_answers_in_the_thread(
    agency, applicant, worker
):
    case = _case(agency, applicant, status="under_review")
    services.request_information(case, user=worker, body="Send skatteattesten.")
    case.refresh_from_db()
    assert case.status == "waiting_for_applicant" and case.waiting_until is not None
    services.post_citizen_message(case, user=applicant, body="Her er den.")
    case.refresh_from_db()
    assert case.status == "under_review" and case.waiting_until is None
    kinds = list(case.thread.messages.order_by("created_at").values_list("kind", flat=True))
    assert kinds == ["information_request", "answer"]


def test_a_decision_needs_a_justification_and_a_legal_basis(agency, applicant, worker):
    case = _case(agency, applicant, status="under_review")
    with pytest.raises(ActionRefused) as refused:
        services.decide_case(
            case, user=worker, outcome="granted", justification=" ", legal_basis=""
        )
    assert set(refused.value.errors) == {"justification", "legal_basis"}
    case.refresh_from_db()
    assert case.status == "under_review"


def test_decide_then_deliver_sets_the_appeal_deadline_once(agency, applicant, worker):
    import datetime as dt

    case = _case(agency, applicant, status="under_review")
    decision = services.decide_case(
        case,
        user=worker,
        outcome="granted",
        justification="Vilkårene er oppfylt.",
        legal_basis="Alkoholloven § 1-7",
    )
    case.refresh_from_db()
    assert case.status == "decided" and case.decided_at is not None
    first = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
    services.mark_decision_delivered(decision, first)
    services.mark_decision_delivered(decision, first + dt.timedelta(days=5))
    decision.refresh_from_db()
    assert decision.delivered_at == first
    assert decision.appeal_deadline == dt.date(2026, 12, 28)


def test_the_decision_letter_is_in_the_language_the_applicant_applied_in(agencies):
    from iktipet.applications.models import Application

    worker = _staff("sara", [("naeringsetaten", "case_worker")])
    case = submitted_case()
    summary = {**case.application.summary, "language": "en"}
    Application.objects.filter(pk=case.application_id).update(summary=summary)
    case.application.summary = summary
    decision = services.decide_case(
        case, user=worker, outcome="granted", justification="Ja.", legal_basis="§ 1"
    )
    assert decision.language == "en"


def test_an_appeal_opens_a_linked_case_with_its_own_number(agency, applicant, worker):
    case = _case(agency, applicant, status="under_review", sequence=7)
    from iktipet.cases.models import CaseNumberSequence

    CaseNumberSequence.objects.create(agency=agency, year=timezone.localdate().year, last=7)
    decision = services.decide_case(
        case, user=worker, outcome="refused", justification="Nei.", legal_basis="§ 1-7"
    )
    appeal = services.appeal_decision(decision, user=applicant, grounds="Jeg er uenig.")
    assert appeal.kind == Case.Kind.APPEAL and appeal.appeal_of == case
    assert appeal.sequence == 8 and appeal.workflow == "appeal"
    assert appeal.thread.messages.get().body == "Jeg er uenig."
    with pytest.raises(ActionRefused):
        services.appeal_decision(decision, user=applicant, grounds="Igjen.")


def test_assignment_by_a_case_worker_of_the_agency_only(agency, applicant, worker, outsider):
    case = _case(agency, applicant)
    services.assign_case(case, user=worker, assignee=worker)
    case.refresh_from_db()
    assert case.assignee == worker
    with pytest.raises(ActionRefused):
        services.assign_case(case, user=worker, assignee=outsider)
    with pytest.raises(ActionRefused):
        services.assign_case(case, user=outsider, assignee=outsider)


def test_only_an_agency_admin_gives_a_case_to_someone_else(agency, applicant, worker):
    colleague = _staff("per", [("naeringsetaten", "case_worker")])
    admin = _staff("ada", [("naeringsetaten", "agency_admin")])
    case = _case(agency, applicant)
    with pytest.raises(ActionRefused):
        services.assign_case(case, user=worker, assignee=colleague)
    services.assign_case(case, user=colleague, assignee=colleague)
    with pytest.raises(ActionRefused):  # taking it from a colleague
        services.assign_case(case, user=worker, assignee=worker)
    with pytest.raises(ActionRefused):  # releasing a colleague's case
        services.assign_case(case, user=worker, assignee=None)
    services.assign_case(case, user=admin, assignee=worker)
    case.refresh_from_db()
    assert case.assignee == worker
    services.assign_case(case, user=worker, assignee=None)
    case.refresh_from_db()
    assert case.assignee is None


def test_two_people_taking_the_same_case_at_once_one_wins(agency, applicant, worker):
    colleague = _staff("per", [("naeringsetaten", "case_worker")])
    case = _case(agency, applicant)
    stale = Case.objects.get(pk=case.pk)
    services.assign_case(case, user=worker, assignee=worker)
    with pytest.raises(ActionRefused):
        services.assign_case(stale, user=colleague, assignee=colleague)
    case.refresh_from_db()
    assert case.assignee == worker


def test_hearing_must_be_answered_before_it_ends(agency, applicant, worker):
    case = _case(agency, applicant, workflow="skjenkebevilling", status="under_review")
    services.send_to_hearing(case, user=worker)
    assert case.hearings.count() == 3
    with pytest.raises(ActionRefused):
        services.transition_case(case, "end_hearing", user=worker)
    for hearing in case.hearings.all():
        services.record_hearing_response(hearing, user=worker, has_remarks=False, response="")
    services.transition_case(case, "end_hearing", user=worker)
    case.refresh_from_db()
    assert case.status == "under_review"


def test_offer_answered_or_expired(agencies, applicant):
    import datetime as dt

    worker = _staff("ulla", [("utdanningsetaten", "case_worker")])
    case = submitted_case("barnehagesak", workflow="barnehage")
    offer = services.make_offer(
        case,
        user=worker,
        kindergarten_id="bhg-001",
        start_date=timezone.localdate() + dt.timedelta(days=30),
    )
    assert offer.kindergarten_name == "Barnehagen Testlia"  # as the register names it
    services.answer_offer(offer, user=applicant, accept=True)
    case.refresh_from_db()
    assert case.status == "accepted" and not case.is_open
    with pytest.raises(ActionRefused):
        services.answer_offer(offer, user=applicant, accept=False)

    other = submitted_case("barnehagesak", workflow="barnehage", publish_service=False)
    late = services.make_offer(
        other,
        user=worker,
        kindergarten_id="bhg-002",
        start_date=timezone.localdate() + dt.timedelta(days=30),
    )
    assert services.expire_offers(late.answer_by - dt.timedelta(seconds=1)) == 0
    assert services.expire_offers(late.answer_by + dt.timedelta(seconds=1)) == 1
    other.refresh_from_db()
    late.refresh_from_db()
    assert (other.status, late.status) == ("expired", "expired")
    with pytest.raises(ActionRefused):
        services.answer_offer(late, user=applicant, accept=True)


def test_an_offer_is_only_for_a_kindergarten_the_applicant_ranked(agencies):
    import datetime as dt

    worker = _staff("ulla", [("utdanningsetaten", "case_worker")])
    case = submitted_case("barnehagesak", workflow="barnehage", kindergartens=("bhg-002",))
    with pytest.raises(ActionRefused) as refused:
        services.make_offer(
            case,
            user=worker,
            kindergarten_id="bhg-001",
            start_date=timezone.localdate() + dt.timedelta(days=30),
        )
    assert refused.value.errors == {"kindergarten": "Velg en av barnehagene søkeren har ønsket."}
    case.refresh_from_db()
    assert case.status == "received" and not case.offers.exists()
