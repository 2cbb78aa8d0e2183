"""The case page and its actions over HTTP: what it shows, each action, refusals, access."""

from __future__ import annotations

import pytest
from django.urls import reverse

from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.cases.models import Case, Decision, HearingRequest, Offer
from support.cases import PDF, submitted_case


@pytest.fixture
def worker(client, agencies):
    return sign_in_staff(client, [("naeringsetaten", "case_worker")])


def _url(name, case, *args):
    return reverse(f"casework:{name}", args=[case.pk, *args])


def test_case_page_shows_answers_attachments_timeline_and_actions(client, worker):
    case = submitted_case(attachment=PDF)
    page = client.get(_url("case", case))
    assert page.status_code == 200
    body = page.content.decode()
    assert case.reference in body
    assert "Sommerfest i parken" in body  # the answers
    assert "tegning.pdf" in body
    assert "Søknaden ble mottatt og fikk saksnummer" in body  # the timeline
    assert "Start behandlingen" in body and "Fatt vedtaket" in body
    assert "Ingen betalinger eller bookinger for denne saken." in body
    attachment = case.application.attachments.get()
    download = client.get(_url("attachment", case, attachment.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_transition_assign_and_release(client, worker):
    case = submitted_case()
    r = client.post(_url("transition", case, "start_review"), {"note": "Ser på den."})
    assert r.status_code == 302 and r.url == _url("case", case)
    case.refresh_from_db()
    assert case.status == "under_review"
    assert case.events.filter(note="Ser på den.").exists()
    assert client.post(_url("assign_me", case)).status_code == 302
    case.refresh_from_db()
    assert case.assignee == worker
    assert client.post(_url("release", case)).status_code == 302
    case.refresh_from_db()
    assert case.assignee is None


def test_a_transition_from_the_wrong_state_is_refused(client, worker):
    case = submitted_case()
    r = client.post(_url("transition", case, "close"), {"note": "Lukk den"})
    assert r.status_code == 400
    assert "Saken har ikke riktig status for denne handlingen." in r.content.decode()
    case.refresh_from_db()
    assert case.status == "received"


def test_only_an_admin_assigns_to_another(client, agencies):
    other = sign_in_staff(client, [("naeringsetaten", "case_worker")], username="other")
    sign_in_staff(client, [("naeringsetaten", "case_worker")])
    case = submitted_case()
    r = client.post(_url("assign", case), {"assignee": other.pk})
    assert r.status_code == 400
    assert Case.objects.get(pk=case.pk).assignee is None
    sign_in_staff(client, [("naeringsetaten", "agency_admin")], username="boss")
    assert client.post(_url("assign", case), {"assignee": other.pk}).status_code == 302
    assert Case.objects.get(pk=case.pk).assignee == other


def test_request_information_and_message(client, worker):
    case = submitted_case()
    r = client.post(_url("request_information", case), {"body": "", "answer_days": "14"})
    assert r.status_code == 400  # nothing to send
    assert Case.objects.get(pk=case.pk).status == "received"
    r = client.post(
        _url("request_information", case), {"body": "Send firmaattest.", "answer_days": "200"}
    )
    assert r.status_code == 400
    assert "Send firmaattest." in r.content.decode()  # typed text kept
    r = client.post(
        _url("request_information", case), {"body": "Send firmaattest.", "answer_days": "10"}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == "waiting_for_applicant" and case.waiting_until is not None
    r = client.post(_url("message", case), {"body": "Vi venter på svar."})
    assert r.status_code == 302
    assert "Vi venter på svar." in client.get(_url("case", case)).content.decode()


def test_decide_errors_keep_what_was_typed_then_decide_and_download_letter(client, worker):
    case = submitted_case()
    r = client.post(
        _url("decide", case),
        {"outcome": "granted", "justification": "", "legal_basis": "Alkoholloven § 1-7"},
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "ds-error-summary" in body
    assert "Alkoholloven § 1-7" in body
    assert 'value="granted" id="decide-outcome-granted" checked' in body
    assert not Decision.objects.filter(case=case).exists()
    r = client.post(
        _url("decide", case),
        {
            "outcome": "granted",
            "justification": "Vilkårene er oppfylt.",
            "legal_basis": "Alkoholloven § 1-7",
            "appeal_body": "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus",
        },
    )
    assert r.status_code == 302
    decision = Decision.objects.get(case=case)
    assert decision.outcome == "granted"
    letter = client.get(_url("decision_letter", case))
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")


def test_hearing_round(client, worker):
    case = submitted_case("skjenke", workflow="skjenkebevilling")
    client.post(_url("transition", case, "start_review"))
    assert client.post(_url("hearing", case)).status_code == 302
    hearings = list(HearingRequest.objects.filter(case=case))
    assert len(hearings) == 3
    r = client.post(_url("transition", case, "end_hearing"))
    assert r.status_code == 400  # not every body has answered
    r = client.post(_url("hearing_response", case, hearings[0].pk), {"has_remarks": "yes"})
    assert r.status_code == 400  # remarks need a text
    for hearing in hearings:
        r = client.post(
            _url("hearing_response", case, hearing.pk), {"has_remarks": "no", "response": ""}
        )
        assert r.status_code == 302
    assert client.post(_url("transition", case, "end_hearing")).status_code == 302
    assert Case.objects.get(pk=case.pk).status == "under_review"


def test_barnehage_offer(client, agencies):
    sign_in_staff(client, [("utdanningsetaten", "case_worker")])
    case = submitted_case("bhg", workflow="barnehage", kindergartens=("bhg-002", "bhg-001"))
    page = client.get(_url("case", case)).content.decode()
    assert "Eksempelhagen barnehage" in page and "Barnehagen Testlia" in page
    r = client.post(_url("offer", case), {"kindergarten": "bhg-999", "start_date": "2099-08-01"})
    assert r.status_code == 400
    r = client.post(_url("offer", case), {"kindergarten": "bhg-001", "start_date": "2099-08-01"})
    assert r.status_code == 302
    offer = Offer.objects.get(case=case)
    assert offer.kindergarten_name == "Barnehagen Testlia"
    assert Case.objects.get(pk=case.pk).status == "offered"


def test_another_agencys_staff_get_404_everywhere(client, agencies):
    case = submitted_case(attachment=PDF)
    sign_in_staff(client, [("utdanningsetaten", "case_worker")])
    attachment = case.application.attachments.get()
    gets = [
        _url("case", case),
        _url("decision_letter", case),
        _url("attachment", case, attachment.pk),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        _url("transition", case, "start_review"),
        _url("assign_me", case),
        _url("release", case),
        _url("request_information", case),
        _url("message", case),
        _url("decide", case),
        _url("hearing", case),
        _url("offer", case),
    ]
    for url in posts:
        assert client.post(url, {"body": "x", "answer_days": "3"}).status_code == 404, url
    case.refresh_from_db()
    assert case.status == "received" and case.assignee is None


def test_anonymous_and_citizens_are_sent_to_staff_login(client, agencies):
    case = submitted_case()
    login = reverse("accounts:staff_login")
    for url in (reverse("casework:inbox"), _url("case", case)):
        assert login in client.get(url).url
    sign_in_citizen(client)
    assert login in client.get(_url("case", case)).url
    assert login in client.post(_url("assign_me", case)).url
    assert Case.objects.get(pk=case.pk).assignee is None


def test_the_case_page_answers_staff_without_a_case_role_as_the_role_check_did(client, agencies):
    """The page reads the reader's case roles with the case (one statement): staff with a
    role but no case role still get 404, staff with no role at all 403, and neither read is
    audited (nothing was shown)."""
    from iktipet.accounts.models import StaffRole
    from iktipet.core.models import AuditEvent

    case = submitted_case()
    admin = sign_in_staff(client, [("naeringsetaten", "service_admin")], username="tjenester")
    assert client.get(_url("case", case)).status_code == 404
    StaffRole.objects.filter(user=admin).delete()
    assert client.get(_url("case", case)).status_code == 403
    assert not AuditEvent.objects.filter(action="cases.read", target_id=str(case.pk)).exists()
    sign_in_staff(client, [("naeringsetaten", "case_worker")])
    assert client.get(_url("case", case)).status_code == 200
    assert AuditEvent.objects.filter(action="cases.read", target_id=str(case.pk)).count() == 1
