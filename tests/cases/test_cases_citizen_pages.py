"""The applicant's side over HTTP: Min side's cases, the case page, the thread and answers."""

from __future__ import annotations

from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iktipet.accounts.parties import ActingParty
from iktipet.accounts.testing import sign_in_citizen
from iktipet.cases import deadlines, services
from iktipet.cases.models import Case
from iktipet.messaging.models import Message
from support.cases import KARI, OLA, PDF, case_url, submitted_case
from support.form_browser import EXE
from support.pages import text_of

AKSEL = "08846949934"  # Aksel Lie-Test: styreleder of Testgrillen
TESTGRILLEN = ActingParty("organisation", "310000019", "Testgrillen Restaurant AS")


def test_min_side_lists_the_cases_with_unread_messages(kari, case, staff):
    services.post_staff_message(case, user=staff, body="Vi har sett på søknaden din.")
    response = kari.get(reverse("accounts:my_page"))
    assert response.status_code == 200
    body = text_of(response)
    assert "Saker" in body
    # The case number with its agency (two agencies both have a 2026/000001), the status.
    assert f"Næringsetaten · saksnummer {case.reference} · mottatt" in body
    assert f"Testsøknad , sak {case.reference} Næringsetaten" in body  # (the sak for readers)
    assert "Mottatt 1 ulest melding" in body
    # The messages inbox: the case's thread with its unread count.
    assert "Meldinger 1 ulest Testsøknad 1 ulest Næringsetaten · 1 melding" in body
    assert f'href="{case_url(case)}"' in response.content.decode()

    assert kari.get(case_url(case)).status_code == 200  # opening the case reads the thread
    body = text_of(kari.get(reverse("accounts:my_page")))
    assert case.reference in body
    assert "ulest" not in body

    services.post_staff_message(case, user=staff, body="Én ting til.")
    services.post_staff_message(case, user=staff, body="Og en til.")
    assert "2 uleste meldinger" in text_of(kari.get(reverse("accounts:my_page")))


def test_min_side_without_cases_says_so(kari):
    body = text_of(kari.get(reverse("accounts:my_page")))
    assert "Du har ingen saker ennå." in body


def test_min_side_tells_what_waits_for_an_answer(kari, case, staff):
    services.request_information(case, user=staff, body="Send oss tegningen.", answer_days=14)
    case.refresh_from_db()
    body = text_of(kari.get(reverse("accounts:my_page")))
    date = case.waiting_until.astimezone(deadlines.OSLO).strftime("%d.%m.%Y")
    waiting = "Trenger svar fra deg Saksbehandleren ber om mer informasjon Testsøknad"
    assert f"{waiting} · Meg selv Svar innen {date}" in body


def test_the_case_page_shows_status_timeline_and_receipt(kari, case, staff):
    services.assign_case(case, user=staff, assignee=staff)  # a staff-only timeline step
    services.transition_case(case, "start_review", user=staff)
    response = kari.get(case_url(case))
    assert response.status_code == 200
    body = text_of(response)
    assert case.reference in body
    assert "Under behandling" in body
    assert f"Søknaden ble mottatt og fikk saksnummer {case.reference}." in body
    assert "Status ble endret fra «Mottatt» til «Under behandling»." in body
    assert "Saken ble oppdatert." not in body  # the assignment is not shown to the applicant
    receipt = reverse("applications:receipt", args=[case.application_id])
    assert f'href="{receipt}"' in response.content.decode()


def test_anonymous_visitors_are_sent_to_login(client, case):
    response = client.get(case_url(case))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_another_citizen_gets_404_on_every_url(client, case, staff):
    services.request_information(case, user=staff, body="Send tegningen.")
    message = services.post_citizen_message(
        case,
        user=case.applicant,
        body="Her er den.",
        files=[SimpleUploadedFile("tegning.pdf", PDF, "application/pdf")],
    )
    attachment = message.attachments.get()
    decision = services.decide_case(
        case,
        user=staff,
        outcome="granted",
        justification="Vilkårene er oppfylt.",
        legal_basis="Forskrift § 1.",
    )
    sign_in_citizen(client, OLA, name=("Ola", "Nordmann-Test"))
    urls = {
        "get": [
            case_url(case),
            reverse("cases:attachment", args=[case.pk, attachment.pk]),
            reverse("cases:decision_letter", args=[case.pk]),
            reverse("cases:appeal", args=[case.pk]),
        ],
        "post": [
            reverse("cases:message", args=[case.pk]),
            reverse("cases:appeal", args=[case.pk]),
            reverse("cases:answer_offer", args=[case.pk, decision.pk]),
        ],
    }
    for url in urls["get"]:
        assert client.get(url).status_code == 404, url
    data = {"body": "Hei", "grounds": "Feil", "accept": "yes"}
    for url in urls["post"]:
        assert client.post(url, data).status_code == 404, url
    assert Message.objects.filter(thread=case.thread).count() == 2
    assert not decision.appeals.exists()
    decision.refresh_from_db()
    assert decision.delivered_at is None  # Ola's visits did not deliver Kari's decision
    # Ola's own Min side lists none of Kari's cases.
    assert case.reference not in text_of(client.get(reverse("accounts:my_page")))


def test_an_organisations_case_is_shared_by_those_acting_for_it(client, agencies):
    case = _organisation_case()
    # Aksel, styreleder, acting for Testgrillen sees it on Min side and on the case page.
    sign_in_citizen(client, AKSEL, name=("Aksel", "Lie-Test"), acting_for=TESTGRILLEN)
    assert case.reference in text_of(client.get(reverse("accounts:my_page")))
    response = client.get(case_url(case))
    assert response.status_code == 200
    assert "Testgrillen Restaurant AS" in text_of(response)
    # Acting as himself (a fresh login), Min side still lists it under the organisation, and
    # its link switches to Testgrillen, which the register lets him act for (issue 14).
    sign_in_citizen(client, AKSEL, name=("Aksel", "Lie-Test"))
    min_side = text_of(client.get(reverse("accounts:my_page")))
    listed = f"Testgrillen Restaurant AS {case.title} , sak {case.reference} Næringsetaten"
    assert listed in min_side
    response = client.get(case_url(case))
    assert response.status_code == 200
    assert "på vegne av Testgrillen Restaurant AS" in text_of(response)
    # Ola, who holds no role in it, gets nothing.
    sign_in_citizen(client, OLA, name=("Ola", "Nordmann-Test"))
    assert client.get(case_url(case)).status_code == 404
    assert case.reference not in text_of(client.get(reverse("accounts:my_page")))


def _organisation_case() -> Case:
    """Kari, daglig leder, applies for Testgrillen over HTTP."""
    import uuid

    from django.test import Client

    from support.applications import form_service, publish, text

    publish(
        form_service(
            [
                {
                    "id": "om",
                    "title": text("Om"),
                    "fields": [{"id": "navn", "type": "text", "label": text("Navn på tiltaket")}],
                }
            ],
            id="orgsak",
            agency="naeringsetaten",
            audience="organisation",
            representation_roles=["DAGL", "LEDE"],
            title=text("Søknad for virksomheten"),
        )
    )
    applicant = Client()
    sign_in_citizen(applicant, KARI, acting_for=TESTGRILLEN)
    start = reverse("applications:start", args=["orgsak"])
    assert applicant.post(start, {"start_token": str(uuid.uuid4())}).status_code == 302
    from iktipet.applications.models import Application

    application = Application.objects.latest("created_at")
    step = reverse("applications:step", args=[application.pk, "om"])
    assert applicant.post(step, {"navn": "Uteservering", "_action": "next"}).status_code == 302
    assert applicant.post(reverse("applications:submit", args=[application.pk])).status_code == 302
    case = Case.objects.get(application=application)
    assert (case.party_kind, case.party_identifier) == ("organisation", "310000019")
    return case


def test_answering_a_request_moves_the_case_back_to_the_case_worker(kari, case, staff):
    services.request_information(case, user=staff, body="Send oss en tegning av uteserveringen.")
    case.refresh_from_db()
    assert case.status == "waiting_for_applicant"
    response = kari.get(case_url(case))
    body = text_of(response)
    assert "Saksbehandleren ber om mer informasjon" in body
    assert "Send oss en tegning av uteserveringen." in body
    date = case.waiting_until.astimezone(deadlines.OSLO).strftime("%d.%m.%Y")
    assert f"Svar innen {date}." in body

    response = kari.post(
        reverse("cases:message", args=[case.pk]),
        {
            "body": "Her er tegningen.",
            "files": [SimpleUploadedFile("tegning.pdf", PDF, "application/pdf")],
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "under_review"
    answer = Message.objects.get(thread=case.thread, side="citizen")
    assert (answer.kind, answer.body) == ("answer", "Her er tegningen.")

    response = kari.get(response.url)
    body = text_of(response)
    assert "Her er tegningen." in body
    assert "Saksbehandleren ber om mer informasjon" not in body
    assert "Status ble endret fra «Venter på søker» til «Under behandling»." in body
    download = reverse("cases:attachment", args=[case.pk, answer.attachments.get().pk])
    assert f'href="{download}"' in response.content.decode()
    file = kari.get(download)
    assert file.status_code == 200
    assert b"".join(file.streaming_content) == PDF
    assert "attachment" in file["Content-Disposition"]


def test_an_empty_answer_is_refused_and_nothing_is_stored(kari, case, staff):
    services.request_information(case, user=staff, body="Send tegningen.")
    response = kari.post(reverse("cases:message", args=[case.pk]), {"body": "   "})
    assert response.status_code == 400
    body = text_of(response)
    assert "Meldingen ble ikke sendt. Rett opp følgende:" in body
    assert "Skriv en melding eller legg ved en fil." in body
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Message.objects.filter(thread=case.thread, side="citizen").exists()
    case.refresh_from_db()
    assert case.status == "waiting_for_applicant"


def test_a_program_renamed_to_pdf_is_refused_and_the_text_kept(kari, case, staff):
    services.request_information(case, user=staff, body="Send tegningen.")
    response = kari.post(
        reverse("cases:message", args=[case.pk]),
        {
            "body": "Her er tegningen <min>.",
            "files": [SimpleUploadedFile("tegning.pdf", EXE, "application/pdf")],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "tegning.pdf:" in text_of(response)
    assert 'id="reply-files-error"' in html
    assert "Her er tegningen &lt;min&gt;.</textarea>" in html
    assert not Message.objects.filter(thread=case.thread, side="citizen").exists()
    case.refresh_from_db()
    assert case.status == "waiting_for_applicant"


def test_a_message_without_a_request_keeps_the_status(kari, case):
    response = kari.post(reverse("cases:message", args=[case.pk]), {"body": "Et spørsmål."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "received"
    assert "Du sendte en melding til saksbehandleren." in text_of(kari.get(case_url(case)))


def test_the_post_urls_need_post_and_csrf(case, agencies):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    sign_in_citizen(strict, KARI)
    assert strict.get(reverse("cases:message", args=[case.pk])).status_code == 405
    assert strict.post(reverse("cases:message", args=[case.pk]), {"body": "Hei"}).status_code == 403
    assert not Message.objects.filter(thread=case.thread, side="citizen").exists()


def test_messages_are_rate_limited_per_person_and_nothing_is_lost_before(kari, case, monkeypatch):
    # One window for all 31: the limit's windows are whole minutes on the clock, and on a
    # loaded machine the posts could straddle a minute's end and start a new count.
    from iktipet.core import ratelimit

    now = ratelimit.time.time()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now))
    url = reverse("cases:message", args=[case.pk])
    answers = [kari.post(url, {"body": f"Melding {n}"}).status_code for n in range(31)]
    assert answers[:30] == [302] * 30
    assert answers[30] == 429
    assert case.thread.messages.count() == 30


def test_a_case_asks_for_the_level_of_assurance_its_service_asks_for(client, agencies):
    """barnehageplass asks for high: its case is not shown on a login at substantial."""
    case = submitted_case("hoyniva", login_level="high")
    url = reverse("cases:case", args=[case.pk])
    sign_in_citizen(client, KARI, level="substantial")
    step_up = client.get(url)
    assert step_up.status_code == 302
    assert "/logg-inn/" in step_up["Location"] and "niva=high" in step_up["Location"]
    assert client.post(reverse("cases:message", args=[case.pk]), {"body": "Hei"}).status_code == 302
    assert case.thread.messages.count() == 0
    sign_in_citizen(client, KARI, level="high")
    assert client.get(url).status_code == 200
