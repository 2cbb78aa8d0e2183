"""After the deadline: the periodic task closes the round with a PDF/A summary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from iktipet.accounts.testing import sign_in_staff
from iktipet.documents.pdfcheck import pdf_facts
from iktipet.messaging.models import Notification
from iktipet.nabovarsel import services
from iktipet.nabovarsel.models import NoticeSummary
from support.nabovarsel import AKSEL, FATIMA, PDF, PER, pdf_text, signed_in, submit_nabovarsel

REMARK = "Garasjen skygger for kjøkkenvinduet vårt."


@pytest.fixture
def answered(nabovarsel_service):
    """Kari's round with Fatima's consent and Aksel's remark (with a file)."""
    applicant, case = submit_nabovarsel()
    for pid, data in (
        (FATIMA, {"consent": "yes"}),
        (
            AKSEL,
            {
                "consent": "no",
                "remark": REMARK,
                "files": [SimpleUploadedFile("skyggekart.pdf", PDF, "application/pdf")],
            },
        ),
    ):
        client = signed_in(pid)
        notice = case.neighbour_notices.get(pid_hash=client_pid_hash(pid))
        assert client.post(reverse("nabovarsel:notice", args=[notice.pk]), data).status_code == 302
    return applicant, case


def client_pid_hash(pid):
    from iktipet.accounts.pid import pid_lookup_hash

    return pid_lookup_hash(pid)


def _deadline(case):
    return max(n.deadline for n in case.neighbour_notices.all())


def test_nothing_happens_before_every_deadline_has_passed(answered):
    _applicant, case = answered
    assert services.close_expired_notice_rounds(now=_deadline(case)) == 0
    case.refresh_from_db()
    assert case.status == "notices_sent"
    assert not NoticeSummary.objects.exists()


def test_the_round_closes_with_a_pdfa_summary_once(answered):
    applicant, case = answered
    after = _deadline(case) + dt.timedelta(seconds=1)
    assert services.close_expired_notice_rounds(now=after) == 1
    case.refresh_from_db()
    assert case.status == "deadline_passed" and case.waiting_until is None
    assert case.events.filter(kind="status_changed", to_status="deadline_passed").count() == 1
    summary = NoticeSummary.objects.get(case=case)
    data = summary.pdf.read()
    facts = pdf_facts(data)
    assert (facts.pdfa_part, facts.pdfa_conformance) == ("2", "B")
    assert facts.all_fonts_embedded, facts.fonts
    text = " ".join(pdf_text(data).split())
    for expected in (
        case.reference,
        "Kari Nordmann-Test",  # tiltakshaver
        "0301-901/12",
        "Fatima Ali-Test",
        "Aksel Lie-Test",
        "Dahl Eksempelbygg AS",
        "Kvitteringsliste",
        "skyggekart.pdf",
    ):
        assert expected in text, expected
    assert " ".join(REMARK.split()) in text
    assert "17819049912" not in text
    assert (
        Notification.objects.filter(
            event="nabovarsel.deadline_passed", recipient_user=case.applicant
        ).count()
        == 1
    )

    # Idempotent: a second run (or a second worker) changes nothing.
    assert services.close_expired_notice_rounds(now=after + dt.timedelta(hours=1)) == 0
    assert NoticeSummary.objects.filter(case=case).count() == 1
    assert Notification.objects.filter(event="nabovarsel.deadline_passed").count() == 1

    # The applicant downloads it from their case; staff of the agency from theirs.
    url = reverse("nabovarsel:case_summary", args=[case.pk])
    response = applicant.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == data
    for other in (signed_in(AKSEL), signed_in(PER)):
        assert other.get(url).status_code == 404
    staff = Client()
    sign_in_staff(staff, [("plan-og-bygningsetaten", "case_worker")])
    staff_url = reverse("nabovarsel_staff:summary", args=[case.pk])
    assert staff.get(staff_url).status_code == 200
    outsider = Client()
    sign_in_staff(outsider, [("naeringsetaten", "case_worker")], username="staff-other")
    assert outsider.get(staff_url).status_code == 404
    file_id = case.neighbour_notices.get(name="Aksel Lie-Test").attachments.get().pk
    assert (
        staff.get(reverse("nabovarsel_staff:reply_file", args=[case.pk, file_id])).status_code
        == 200
    )
    assert (
        outsider.get(reverse("nabovarsel_staff:reply_file", args=[case.pk, file_id])).status_code
        == 404
    )


def test_the_periodic_job_is_registered():
    from iktipet.ops.periodic import schedules

    assert "nabovarsel.close_expired_notice_rounds" in schedules()


def test_one_failing_case_does_not_stop_the_others(nabovarsel_service, monkeypatch):
    _a, first = submit_nabovarsel(dispensation=False)
    _b, second = submit_nabovarsel(dispensation=False)
    real = services._summary_pdf

    def flaky(case):
        if case.pk == first.pk:
            raise RuntimeError("renderer crashed")
        return real(case)

    monkeypatch.setattr(services, "_summary_pdf", flaky)
    after = max(_deadline(first), _deadline(second)) + dt.timedelta(seconds=1)
    assert services.close_expired_notice_rounds(now=after) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("notices_sent", "deadline_passed")
    assert not NoticeSummary.objects.filter(case=first).exists()
    # The next run, with the renderer well again, closes the one left.
    monkeypatch.setattr(services, "_summary_pdf", real)
    assert services.close_expired_notice_rounds(now=after) == 1
    first.refresh_from_db()
    assert first.status == "deadline_passed"
