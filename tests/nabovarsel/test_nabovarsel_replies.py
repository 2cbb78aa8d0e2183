"""A neighbour opens the notice and answers; the applicant reads the replies; nobody else
sees anything."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from iktipet.cases.hooks import rendered_case_sections
from iktipet.core.models import AuditEvent
from iktipet.messaging.models import Notification
from iktipet.nabovarsel.models import NeighbourNotice, NeighbourReplyAttachment
from support.nabovarsel import (
    AKSEL,
    DESCRIPTION,
    FATIMA,
    KARI,
    NORA,
    PDF,
    PER,
    PNG,
    signed_in,
    submit_nabovarsel,
)

REMARK = "Tilbygget tar sola fra terrassen vår om ettermiddagen."


@pytest.fixture
def round_(nabovarsel_service):
    """(applicant client, case, {name: notice}) after Kari sent her nabovarsel."""
    client, case = submit_nabovarsel()
    notices = {n.name: n for n in case.neighbour_notices.filter(relation="owner")}
    return client, case, notices


def _notice_url(notice):
    return reverse("nabovarsel:notice", args=[notice.pk])


def _aksel_notice(case):
    return case.neighbour_notices.get(name="Aksel Lie-Test")


def test_a_neighbour_opens_the_notice_and_consents(round_):
    _applicant, case, notices = round_
    notice = notices["Fatima Ali-Test"]
    fatima = signed_in(FATIMA)
    page = fatima.get(_notice_url(notice))
    assert page.status_code == 200
    html = page.content.decode()
    # The neighbour part: who builds, where, what, the plan, dispensations, drawings, deadline.
    for expected in (
        "Kari Nordmann-Test",
        "0301-901/12",
        "Testveien 12, 0560 OSLO",
        "Tilbygg eller påbygg",
        DESCRIPTION,
        "Reguleringsplan S-4321",
        "Reguleringsbestemmelse § 4, byggegrense",
        "situasjonskart-kari.pdf",
        "fasade.png",
        "Jeg samtykker",
        "Jeg har merknader",
    ):
        assert expected in html, expected
    deadline = timezone.localtime(notice.deadline)
    assert f"Svar innen {deadline.day}. " in html
    # Not the applicant's fødselsnummer (not even masked), not the other neighbours.
    assert KARI not in html and KARI[:6] not in html
    for other in ("Nora Lie-Test", "Aksel Lie-Test", "Dahl Eksempelbygg AS"):
        assert other not in html
    notice.refresh_from_db()
    first_open = notice.opened_at
    assert first_open is not None
    fatima.get(_notice_url(notice))
    notice.refresh_from_db()
    assert notice.opened_at == first_open  # the first opening counts
    assert (
        AuditEvent.objects.filter(action="nabovarsel.opened", target_id=str(notice.pk)).count() == 1
    )

    # The drawings download for the neighbour, through the notice.
    drawing = re.search(r'href="(/min-side/nabovarsel/[^"]+/vedlegg/[^"]+/)"', html).group(1)
    download = fatima.get(drawing)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) in (PDF, PNG)
    assert download["Cache-Control"] == "private, no-store"

    r = fatima.post(_notice_url(notice), {"consent": "yes", "remark": ""})
    assert r.status_code == 302 and r.url == _notice_url(notice)
    notice.refresh_from_db()
    assert notice.consent is True and notice.replied_at is not None and notice.remark == ""
    event = case.events.get(kind="neighbour_replied")
    assert event.visible_to_applicant and "Fatima" not in event.note + event.actor_label
    assert event.details["consent"] is True
    assert AuditEvent.objects.filter(action="nabovarsel.replied", target_id=str(notice.pk)).exists()
    told = Notification.objects.get(event="nabovarsel.reply")
    assert told.recipient_user_id == case.applicant_id
    assert told.link_path == reverse("cases:case", args=[case.pk])
    # Min side now says it is answered.
    assert "Besvart" in fatima.get(reverse("accounts:my_page")).content.decode()


def test_a_neighbour_answers_with_a_remark_and_a_file_and_may_change_it(round_):
    _applicant, case, _notices = round_
    notice = _aksel_notice(case)
    aksel = signed_in(AKSEL)
    r = aksel.post(
        _notice_url(notice),
        {
            "consent": "no",
            "remark": REMARK,
            "files": [SimpleUploadedFile("merknad fra Aksel.pdf", PDF, "application/pdf")],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    notice.refresh_from_db()
    assert (notice.consent, notice.remark) == (False, REMARK)
    stored = NeighbourReplyAttachment.objects.get(notice=notice)
    assert stored.original_name == "merknad fra Aksel.pdf"
    assert "merknad" not in stored.file.name and "Aksel" not in stored.file.name
    page = aksel.get(_notice_url(notice)).content.decode()
    assert REMARK in page and "merknad fra Aksel.pdf" in page
    own = aksel.get(reverse("nabovarsel:own_reply_file", args=[notice.pk, stored.pk]))
    assert own.status_code == 200 and b"".join(own.streaming_content) == PDF

    # Until the deadline the reply can be changed; a file can be taken away.
    r = aksel.post(
        _notice_url(notice),
        {"consent": "no", "remark": REMARK + " Og utsikten.", "remove_file": [str(stored.pk)]},
    )
    assert r.status_code == 302
    notice.refresh_from_db()
    assert notice.remark.endswith("Og utsikten.")
    assert not NeighbourReplyAttachment.objects.filter(notice=notice).exists()
    assert case.events.filter(kind="neighbour_replied").last().details["changed"] is True


def test_remarks_are_required_without_consent_and_nothing_is_stored(round_):
    _applicant, case, _notices = round_
    notice = _aksel_notice(case)
    aksel = signed_in(AKSEL)
    r = aksel.post(
        _notice_url(notice),
        {
            "consent": "no",
            "remark": "   ",
            "files": [SimpleUploadedFile("vedlegg.pdf", PDF, "application/pdf")],
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Skriv merknadene dine til tiltaket." in html
    assert 'class="ds-error-summary' in html and 'href="#remark"' in html
    assert 'aria-invalid="true"' in html
    notice.refresh_from_db()
    assert notice.replied_at is None and notice.consent is None
    assert not NeighbourReplyAttachment.objects.exists()
    assert not case.events.filter(kind="neighbour_replied").exists()

    # No choice made: the error says so and the typed remark is kept.
    r = aksel.post(_notice_url(notice), {"remark": "Noe jeg skrev"})
    html = r.content.decode()
    assert "Velg om du samtykker eller har merknader." in html
    assert "Noe jeg skrev</textarea>" in html
    # A file that is not what it claims is refused with the reason, nothing stored.
    r = aksel.post(
        _notice_url(notice),
        {
            "consent": "no",
            "remark": REMARK,
            "files": [
                SimpleUploadedFile("tegning.pdf", b"MZ\x90\x00" + b"\0" * 100, "application/pdf")
            ],
        },
    )
    assert r.status_code == 200 and "Filtypen er ikke tillatt" in r.content.decode()
    notice.refresh_from_db()
    assert notice.replied_at is None


def test_after_the_deadline_the_form_is_closed(round_):
    _applicant, case, _notices = round_
    notice = _aksel_notice(case)
    aksel = signed_in(AKSEL)
    aksel.post(_notice_url(notice), {"consent": "yes"})
    NeighbourNotice.objects.filter(pk=notice.pk).update(
        deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    html = aksel.get(_notice_url(notice)).content.decode()
    assert "Fristen for å svare gikk ut" in html
    assert 'name="consent"' not in html and "<form" not in html.split("reply-heading")[1]
    r = aksel.post(_notice_url(notice), {"consent": "no", "remark": "For sent"})
    assert r.status_code == 200
    assert "Fristen for å svare på nabovarselet har gått ut." in r.content.decode()
    notice.refresh_from_db()
    assert notice.consent is True and notice.remark == ""


def test_strangers_and_the_applicant_get_404(round_):
    applicant, case, _notices = round_
    notice = _aksel_notice(case)
    signed_in(AKSEL).post(
        _notice_url(notice),
        {
            "consent": "no",
            "remark": REMARK,
            "files": [SimpleUploadedFile("m.pdf", PDF, "application/pdf")],
        },
    )
    reply_file = NeighbourReplyAttachment.objects.get(notice=notice)
    drawing_id = case.application.answers["drawings"][0]
    urls = [
        _notice_url(notice),
        reverse("nabovarsel:notice_file", args=[notice.pk, drawing_id]),
        reverse("nabovarsel:own_reply_file", args=[notice.pk, reply_file.pk]),
    ]
    stranger = signed_in(PER)
    fatima = signed_in(FATIMA)  # a neighbour too, but not this notice's
    for client in (stranger, applicant, fatima):
        for url in urls:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"consent": "yes"}).status_code in (404, 405), url
    notice.refresh_from_db()
    assert notice.consent is False  # nobody else changed it
    # The applicant's own download of the remark file goes through their case instead.
    ok = applicant.get(reverse("nabovarsel:case_reply_file", args=[case.pk, reply_file.pk]))
    assert ok.status_code == 200
    for client in (stranger, fatima, signed_in(AKSEL)):
        url = reverse("nabovarsel:case_reply_file", args=[case.pk, reply_file.pk])
        assert client.get(url).status_code == 404
    # A neighbour may not fetch an application file that is not part of the notice.
    from iktipet.applications.models import Attachment

    other = Attachment.objects.create(
        application=case.application,
        field_id="internal",
        file="applications/x/none",
        original_name="privat.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        scan_status="clean",
    )
    aksel = signed_in(AKSEL)
    assert (
        aksel.get(reverse("nabovarsel:notice_file", args=[notice.pk, other.pk])).status_code == 404
    )
    # Not logged in: to the login page.
    from django.test import Client

    anonymous = Client().get(_notice_url(notice))
    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("accounts:login"))


def test_the_applicant_sees_the_replies_and_neighbours_see_only_their_own(round_):
    applicant, case, notices = round_
    signed_in(FATIMA).post(_notice_url(notices["Fatima Ali-Test"]), {"consent": "yes"})
    aksel_notice = _aksel_notice(case)
    signed_in(AKSEL).post(
        _notice_url(aksel_notice),
        {
            "consent": "no",
            "remark": REMARK,
            "files": [SimpleUploadedFile("skisse.pdf", PDF, "application/pdf")],
        },
    )
    request = RequestFactory().get("/")
    request.user = case.applicant
    sections = rendered_case_sections(request, case, "applicant")
    assert [s["template"] for s in sections] == ["nabovarsel/_replies.html"]
    html = render_to_string(sections[0]["template"], {"section": sections[0]["context"]})
    assert html.count("<section") == 1 and html.count("<h2") == 1
    for expected in ("Fatima Ali-Test", "Aksel Lie-Test", "Samtykker", "Har merknader", REMARK):
        assert expected in html, expected
    assert "skisse.pdf" in html
    file_id = NeighbourReplyAttachment.objects.get(notice=aksel_notice).pk
    assert reverse("nabovarsel:case_reply_file", args=[case.pk, file_id]) in html
    # Organisations must be notified by the applicant by post or by hand.
    assert "Dahl Eksempelbygg AS, Testveien 14, 0560 OSLO" in html
    assert "2 av 4 har svart." in html

    # The applicant's case page shows the section.
    page = applicant.get(reverse("cases:case", args=[case.pk]))
    assert page.status_code == 200
    assert REMARK in page.content.decode() and "Svar fra naboene" in page.content.decode()

    # Nora, another neighbour, sees nothing of Aksel's or Fatima's replies.
    nora = signed_in(NORA)
    for notice in case.neighbour_notices.filter(name="Nora Lie-Test"):
        html = nora.get(_notice_url(notice)).content.decode()
        assert REMARK not in html and "Aksel" not in html and "Fatima" not in html
        assert "skisse.pdf" not in html
    # Nor the case page of the applicant.
    assert nora.get(reverse("cases:case", args=[case.pk])).status_code == 404


def test_staff_see_the_replies_of_their_agency(round_):
    from django.test import Client

    from iktipet.accounts.testing import sign_in_staff

    _applicant, case, _notices = round_
    signed_in(AKSEL).post(_notice_url(_aksel_notice(case)), {"consent": "no", "remark": REMARK})
    staff = Client()
    worker = sign_in_staff(staff, [("plan-og-bygningsetaten", "case_worker")])
    request = RequestFactory().get("/")
    request.user = worker
    sections = rendered_case_sections(request, case, "staff")
    html = render_to_string(sections[0]["template"], {"section": sections[0]["context"]})
    assert REMARK in html and "Aksel Lie-Test" in html
    assert "Oppsummeringen lages når fristen for merknader er ute." in html
