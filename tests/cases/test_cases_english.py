"""The case pages in English: after the language switch the applicant's case page, the
decision and appeal, the case worker's case page and inbox, and the notice to neighbours
are in English, with no bokmål left over from the templates and the code.

What people typed and what was stored (names, answers, the frozen application summary, the
agency's name in a message's author label) stays as it was written, so each check removes
that data from the page's text first.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.cases import services
from support.cases import KARI, submitted_case

TITLE = "Test application"
WORKER = "Siri Saksbehandler"  # sign_in_staff's synthetic case worker

#: Bokmål that must not reach an English page (whole words, case-sensitive).
BOKMAL = [
    "Saksnummer",
    "Saksbehandleren",
    "Saksbehandler",
    "Saken",
    "Søknaden",
    "Historikk",
    "Meldinger",
    "Melding",
    "Vedtak",
    "Vedtaket",
    "Klagefristen",
    "klage",
    "forvaltningsloven",
    "Mottatt",
    "Tilbake",
    "Svar",
    "Ingen",
    "Skriv",
    "Frist",
    "Nabovarsel",
    "nabovarsel",
    "Naboer",
    "Tiltakshaver",
    "Merknader",
    "merknader",
    "Samtykker",
]
NORWEGIAN_LETTERS = re.compile(r"\S*[æøåÆØÅ]\S*")


def english(client: Client) -> Client:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def english_text(response) -> str:
    """The page's text, whitespace collapsed, and its labels (aria-label, title, placeholder,
    alt) at the end; the button that switches back to bokmål is left out."""
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    html = re.sub(r'<button[^>]*lang="nb"[^>]*>.*?</button>', " ", html, flags=re.S)
    html = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", html, flags=re.S)
    labels = re.findall(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"', html)
    return " ".join([*re.sub(r"<[^>]+>", " ", html).split(), *labels])


def bokmal_in(text: str, *data: str) -> list[str]:
    """Bokmål words and words with æ, ø or å in ``text`` once the data strings are removed."""
    for item in data:
        text = re.sub(item, " ", text)
    words = [w for w in BOKMAL if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
    return words + NORWEGIAN_LETTERS.findall(text)


#: The answers and labels of support.cases.case_service's form, in the frozen summary.
ANSWERS = r"Om søknaden Navn på tiltaket .*? Et arrangement for nabolaget\. Vedlegg"
#: Stored as written, in the language active then: author and actor labels.
STORED = (WORKER, r"Næringsetaten", r"\(Systemet\)")


@pytest.fixture
def worker_client(agencies):
    client = Client()
    worker = sign_in_staff(client, [("naeringsetaten", "case_worker")])
    client.worker = worker
    return english(client)


@pytest.fixture
def kari_in_english(agencies):
    client = Client()
    sign_in_citizen(client, KARI)
    return english(client)


@pytest.fixture
def waiting_case(worker_client):
    """A case where the case worker wrote to Kari and asked her for more information."""
    case = submitted_case(title=TITLE)
    worker = worker_client.worker
    services.post_staff_message(case, user=worker, body="We have looked at your application.")
    services.request_information(case, user=worker, body="Send us the drawing.", answer_days=14)
    return case


def test_min_side_lists_the_cases_in_english(kari_in_english, waiting_case):
    text = english_text(kari_in_english.get(reverse("accounts:my_page")))
    agency = "Agency for Business Development"  # Næringsetaten
    assert f"{agency} · case number {waiting_case.reference} · received" in text
    assert "Waiting for the applicant 2 unread messages" in text
    assert "Needs an answer from you The case worker is asking for more information" in text
    assert "Answer by" in text
    assert bokmal_in(text) == []


def test_the_applicants_case_page_in_english(kari_in_english, waiting_case):
    text = english_text(kari_in_english.get(reverse("cases:case", args=[waiting_case.pk])))
    for expected in (
        "Back to My page",
        "Case number",
        "Handled by",
        "Expected answer by",
        "The case worker is asking for more information",
        "History",
        "The application was received and given case number",
        "The case worker sent you a message.",
        "Messages",
        "Answer the case worker",
        "When you send your answer, the case goes back to the case worker.",
        "Attachments (optional)",
    ):
        assert expected in text
    assert bokmal_in(text, *STORED) == []


def test_the_decision_and_the_appeal_in_english(kari_in_english, worker_client):
    case = submitted_case(title=TITLE)
    services.decide_case(
        case,
        user=worker_client.worker,
        outcome="refused",
        justification="The event is too big for the park.",
        legal_basis="Section 3 of the police by-laws.",
    )
    text = english_text(kari_in_english.get(reverse("cases:case", args=[case.pk])))
    for expected in (
        "Decision",
        "Outcome Refused",
        "Decision date",
        "Reasons",
        "Legal basis",
        "Download the decision letter (PDF)",
        "You have the right to appeal",
        "section 29 of the Public Administration Act",
        "The appeal deadline is",
        "Appeal against the decision",
        "The decision reached you.",
    ):
        assert expected in text
    # The default appeal body is stored on the decision as written (bokmål).
    assert bokmal_in(text, *STORED, r"Statsforvalteren i Østfold, Buskerud, Oslo og Akershus") == []

    text = english_text(kari_in_english.get(reverse("cases:appeal", args=[case.pk])))
    assert "Why are you appealing?" in text
    assert "Send the appeal" in text
    assert bokmal_in(text) == []


def test_the_staff_case_page_and_the_inbox_in_english(worker_client, waiting_case):
    text = english_text(worker_client.get(reverse("casework:case", args=[waiting_case.pk])))
    for expected in (
        "Back to the inbox",
        f"Case {waiting_case.reference}: {TITLE}",
        "Party",
        "Case worker Not assigned",
        "Processing deadline",
        "Applicant's answer deadline",
        "Application reference",
        "Actions",
        "Assign to me",
        "The application",
        "Payments and bookings",
        "Messages with the applicant",
        "Write to the applicant",
        "History",
        "Message sent to the applicant.",
    ):
        assert expected in text
    assert bokmal_in(text, *STORED, ANSWERS) == []

    text = english_text(worker_client.get(reverse("casework:inbox") + "?tab=all"))
    for expected in (
        "Inbox",
        "My cases",
        "Unassigned cases",
        "All cases",
        "Show cases",
        "Filter cases",
        "View",
        "Only overdue cases",
        "Case number",
        "Deadline",
        "New messages",
        "Not assigned",
        waiting_case.reference,
    ):
        assert expected in text
    assert bokmal_in(text, WORKER) == []


def test_a_hearing_on_the_staff_case_page_in_english(worker_client):
    case = submitted_case(title=TITLE, workflow="skjenkebevilling")
    services.transition_case(case, "start_review", user=worker_client.worker)
    services.send_to_hearing(case, user=worker_client.worker)
    text = english_text(worker_client.get(reverse("casework:case", args=[case.pk])))
    assert "Status In hearing" in text
    assert "Hearing" in text
    assert "Record the answer" in text
    assert "Request more information" in text
    # The consulted bodies' names are stored with the hearing request as written.
    bodies = r"\b(Politiet|Sosialtjenesten|Skatteetaten)\b"
    assert bokmal_in(text, *STORED, ANSWERS, bodies) == []


@pytest.fixture
def notice_round(agencies):
    """(Kari's client, the case, Fatima's notice) after Kari sent her nabovarsel."""
    from support.applications import publish, seed
    from support.nabovarsel import submit_nabovarsel

    publish(seed("nabovarsel"))
    applicant, case = submit_nabovarsel()
    return english(applicant), case, case.neighbour_notices.get(name="Fatima Ali-Test")


def test_the_notice_to_neighbours_in_english(notice_round):
    from support.nabovarsel import DESCRIPTION, FATIMA, signed_in

    _applicant, case, notice = notice_round
    fatima = english(signed_in(FATIMA))
    text = english_text(fatima.get(reverse("nabovarsel:notice", args=[notice.pk])))
    for expected in (
        "Notice to neighbours",
        "is planning a project on a property that borders your property.",
        "Deadline for replying",
        "About the project",
        "Developer Kari Nordmann-Test",
        "Property (building site)",
        f"Case number {case.reference}",
        "Description of the project",
        "Drawings and maps",
        "Reply to the notice to neighbours",
        "I consent",
        "I have remarks",
        "Remarks",
        "Send your reply",
    ):
        assert expected in text
    data = (re.escape(DESCRIPTION), r"Reguleringsplan S-4321", r"Tilbygget går [^.]*\.")
    assert bokmal_in(text, *data) == []

    text = english_text(fatima.get(reverse("accounts:my_page")))
    assert "Notices to neighbours sent to you" in text
    assert f"Case {case.reference} · reply by" in text
    assert bokmal_in(text) == []


def test_the_applicant_reads_the_replies_in_english(notice_round):
    applicant, case, _notice = notice_round
    text = english_text(applicant.get(reverse("cases:case", args=[case.pk])))
    for expected in (
        "Replies from the neighbours",
        "0 of 4 have replied.",
        "Some neighbours cannot get the notice digitally from us",
        "Neighbours who have been notified",
        "Not opened",
        "No reply",
        "A notice to neighbours was sent to 4 neighbours.",
    ):
        assert expected in text
    # The case's title is the service's title when it was submitted; the neighbours'
    # addresses come from the property register.
    assert bokmal_in(text, rf"\b{case.title}\b", r"Prøvestien") == []
