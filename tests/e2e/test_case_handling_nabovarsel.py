"""Nabovarsel handled end to end in real browsers, axe on every page.

Kari Nordmann-Test, owner of 0301-901/12, sends a notice with the neighbours prefilled
from the property register (the seed journey's own steps). Two owners of neighbouring
properties, Fatima Ali-Test (0301-901/11) and Aksel Lie-Test (0301-901/20), each log in
in their own browser, find the notice on Min side and open it: Fatima consents, Aksel
answers with a remark and a file. Kari sees both replies on her case page. Then the
periodic task runs with a clock past the deadline: Kari and Pål Plan, the case worker at
Plan- og bygningsetaten, see that the deadline has passed, and the summary PDF (receipt
list and remarks) can be downloaded.
"""

from __future__ import annotations

import datetime

import pytest
from test_seed_nabovarsel import test_nabovarsel_precheck_then_a_notice as submit_nabovarsel

from support.case_journeys import (
    PAL,
    another_person,  # noqa: F401  (fixture)
    assert_pdfa,
    case_on_my_page,
    checks_of,
    citizen_login,
    download,
    main_text,
    section,
    staff_login,
    status_of,
)
from support.seed_journeys import (
    AKSEL,
    Journey,
    pdf_file,
    seed_site,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.browser]

FATIMA = "19859349903"  # Fatima Ali-Test, owner of 0301-901/11 (Testveien 11)
REMARK = "Garasjen tar morgensola fra kjøkkenet vårt. Kan den flyttes to meter mot vest?"
SITE = "Testveien 12"
SUMMARY = "Last ned kvitteringsliste og merknader (PDF)"


def _case():
    from iktipet.cases.models import Case

    return Case.objects.get(service_id="nabovarsel")


def _open_notice(neighbour: Journey, pid: str) -> None:
    """Log in, find the one notice on Min side and open it."""
    citizen_login(neighbour, pid)
    neighbour.expect_heading("Min side")
    notices = section(neighbour, "Nabovarsler til deg")
    links = notices.get_by_role("link", name=f"Nabovarsel om tiltak på {SITE}", exact=False)
    assert links.count() == 1, main_text(neighbour)
    assert "Ikke besvart" in notices.inner_text()
    neighbour.press(links)
    neighbour.expect_heading("Nabovarsel")
    assert SITE in main_text(neighbour)
    assert "Svar innen" in section(neighbour, "Frist for å svare").inner_text()


def _reply_row(person: Journey, name: str):
    """The row of the neighbour ``name`` in the table of notices on a case page."""
    table = person.page.get_by_role("table", name="Naboer som har fått varsel")
    row = table.get_by_role("row").filter(
        has=person.page.get_by_role("rowheader", name=name, exact=False)
    )
    assert row.count() == 1, table.inner_text()
    return row


def test_nabovarsel_with_two_neighbours_to_the_summary(
    page,
    seed_site,  # noqa: F811
    axe_check,
    another_person,  # noqa: F811
):
    # -- Kari sends the notice (the seed journey, axe on each of its pages).
    submit_nabovarsel(page, seed_site, axe_check)
    applicant = Journey(page, seed_site, axe_check)
    case = _case()
    reference = case.reference
    assert case.status == "notices_sent"
    notices = list(case.neighbour_notices.all())
    total = len(notices)
    names = [notice.name for notice in notices]
    # One notice per owner of each neighbouring property, the applicant's co-owner excluded.
    assert names.count("Fatima Ali-Test") == 1 and names.count("Aksel Lie-Test") == 1, names
    assert "Kari Nordmann-Test" not in names and "Ola Nordmann-Test" not in names, names

    # Her case page lists the neighbours; nobody has answered yet.
    applicant.goto("/min-side/")
    applicant.press(
        case_on_my_page(applicant, reference).get_by_role(
            "link", name=f"sak {reference}", exact=False
        )
    )
    assert status_of(applicant) == "Varsel sendt til naboer"
    replies = section(applicant, "Svar fra naboene")
    assert f"0 av {total} har svart." in replies.inner_text(), replies.inner_text()
    for name in ("Fatima Ali-Test", "Aksel Lie-Test"):
        row = _reply_row(applicant, name).inner_text()
        assert "Ikke åpnet" in row and "Ikke svart" in row, row

    # -- Fatima opens the notice and consents.
    fatima = another_person()
    _open_notice(fatima, FATIMA)
    fatima.page.get_by_role("group", name="Hva svarer du?").get_by_label(
        "Jeg samtykker", exact=True
    ).check()
    fatima.press(fatima.button("Send svaret"))
    assert "Svaret ditt er sendt." in main_text(fatima)
    assert "Du samtykker til tiltaket." in section(fatima, "Frist for å svare").inner_text()
    fatima.goto("/min-side/")
    assert "Besvart" in section(fatima, "Nabovarsler til deg").inner_text()

    # -- Aksel opens it and answers with a remark and a file.
    aksel = another_person()
    _open_notice(aksel, AKSEL)
    aksel.page.get_by_role("group", name="Hva svarer du?").get_by_label(
        "Jeg har merknader", exact=True
    ).check()
    aksel.fill("Merknader", REMARK)
    aksel.page.get_by_label("Legg ved filer", exact=False).set_input_files(
        [pdf_file("solforhold.pdf")]
    )
    aksel.press(aksel.button("Send svaret"))
    assert "Svaret ditt er sendt." in main_text(aksel)
    assert "Du har merknader til tiltaket." in section(aksel, "Frist for å svare").inner_text()
    assert aksel.page.get_by_role("link", name="solforhold.pdf", exact=False).count() == 1

    # -- Kari sees both replies: one consent, one remark with its file.
    applicant.goto(f"/min-side/saker/{case.pk}/")
    replies = section(applicant, "Svar fra naboene")
    assert f"2 av {total} har svart." in replies.inner_text(), replies.inner_text()
    consent = _reply_row(applicant, "Fatima Ali-Test").inner_text()
    assert "Samtykker" in consent and "Ikke åpnet" not in consent, consent
    remark = _reply_row(applicant, "Aksel Lie-Test")
    assert "Har merknader" in remark.inner_text() and REMARK in remark.inner_text()
    name, data = download(applicant, remark.get_by_role("link", name="solforhold.pdf"))
    assert name == "solforhold.pdf" and data == pdf_file("solforhold.pdf")["buffer"]
    assert (
        replies.get_by_role("link", name="Last ned kvitteringsliste og merknader (PDF)").count()
        == 0
    )

    # -- The deadline passes: the periodic task, run with a clock a minute past it.
    from iktipet.nabovarsel.services import close_expired_notice_rounds

    deadline = max(notice.deadline for notice in notices)
    assert close_expired_notice_rounds(now=deadline - datetime.timedelta(minutes=1)) == 0
    assert close_expired_notice_rounds(now=deadline + datetime.timedelta(minutes=1)) == 1
    case.refresh_from_db()
    assert case.status == "deadline_passed"

    # Kari: the status, and the summary to download.
    applicant.goto(f"/min-side/saker/{case.pk}/")
    assert status_of(applicant) == "Svarfristen er ute"
    summary_link = section(applicant, "Svar fra naboene").get_by_role("link", name=SUMMARY)
    name, summary = download(applicant, summary_link)
    assert name.endswith(".pdf"), name
    assert_pdfa(summary)

    # -- Pål Plan, the case worker: the case in the inbox, the deadline passed, the summary.
    worker = another_person()
    staff_login(worker, PAL)
    worker.expect_heading("Innboks – Plan- og bygningsetaten")
    worker.fill("Søk", reference)
    worker.press(worker.button("Vis saker"))
    row = worker.page.get_by_role("row").filter(has_text=reference)
    assert row.count() == 1, main_text(worker)
    assert "Svarfristen er ute" in row.inner_text()
    worker.press(row.get_by_role("link", name=reference, exact=True))
    worker.expect_heading(f"Sak {reference}: {case.title}")  # "Nabovarsel – <the street>"
    assert status_of(worker) == "Svarfristen er ute"
    staff_section = section(worker, "Nabovarsel")
    assert f"2 av {total} har svart." in staff_section.inner_text()
    assert REMARK in staff_section.inner_text()
    name, staff_summary = download(
        worker,
        staff_section.get_by_role(
            "link", name="Oppsummering: nabovarsel, kvitteringsliste og merknader (PDF)"
        ),
    )
    assert staff_summary == summary

    # Every page each of them saw was checked by axe (and for CSP violations) on loading.
    assert checks_of(applicant, f"/min-side/saker/{case.pk}/") >= 3
    for neighbour in (fatima, aksel):
        notice_pages = [url for url in neighbour.checked if "/min-side/nabovarsel/" in url]
        assert len(notice_pages) >= 2, neighbour.checked  # the notice, and after the reply
        assert checks_of(neighbour, "/min-side/") >= 1
    assert checks_of(worker, "/saksbehandling/saker/") >= 2
    assert checks_of(worker, f"/saksbehandling/saker/{case.pk}/") >= 1
