"""Skjenkebevilling handled end to end in real browsers, axe on every page.

Kari Nordmann-Test submits for Testgrillen Restaurant AS (the seed journey's own steps).
Sara Saksbehandler of Næringsetaten finds the case in her inbox by its number, takes it,
and asks for more information; Kari sees the case on Min side with an unread marker, reads
the request and answers with a PDF; Sara sees the answer with the case back under review,
sends it to hearing, records the police's, social services' and the tax authority's
statements, ends the hearing and grants the licence. Kari reads the decision, downloads
the letter (PDF/A) and sees her right to appeal with its deadline: three weeks from the day
the decision reached her, moved to a working day.
"""

from __future__ import annotations

import pytest
from test_seed_skjenkebevilling import (
    test_skjenkebevilling_for_an_organisation as submit_skjenkebevilling,
)

from support.case_journeys import (
    SARA,
    another_person,  # noqa: F401  (fixture)
    assert_pdfa,
    case_on_my_page,
    checks_of,
    download,
    fact,
    hearing_form,
    local_date,
    main_text,
    norwegian_date,
    section,
    staff_login,
    status_of,
)
from support.seed_journeys import (
    Journey,
    pdf_file,
    seed_site,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.browser]

REQUEST = "Send oss en oppdatert leieavtale som viser at dere disponerer lokalet fra 1. januar."
ANSWER = "Her er den nye leieavtalen, signert av begge parter."
JUSTIFICATION = (
    "Søkeren oppfyller vilkårene i alkoholloven. Høringsinstansene har ingen merknader "
    "som taler mot bevilling."
)
LEGAL_BASIS = "Alkoholloven § 1-7, § 1-7a og § 4-2."
HEARINGS = (
    ("Politiet", "Nei", ""),
    ("Sosialtjenesten", "Nei", ""),
    ("Skatteetaten", "Ja", "Virksomheten har ingen restanser, men må levere a-melding i tide."),
)


def _case():
    from iktipet.cases.models import Case

    return Case.objects.select_related("agency").get(service_id="skjenkebevilling")


def test_skjenkebevilling_handled_to_a_decision(
    page,
    seed_site,  # noqa: F811
    axe_check,
    another_person,  # noqa: F811
):
    # -- Kari submits for Testgrillen (the seed journey, axe on each of its pages).
    submit_skjenkebevilling(page, seed_site, axe_check)
    applicant = Journey(page, seed_site, axe_check)
    case = _case()
    assert case.status == "received"
    assert case.party_name == "Testgrillen Restaurant AS"
    reference = case.reference

    # -- Sara logs in, finds the case in the inbox by its number and opens it.
    worker = another_person()
    staff_login(worker, SARA)
    worker.expect_heading("Innboks – Næringsetaten")
    worker.fill("Søk", reference)
    worker.press(worker.button("Vis saker"))
    rows = worker.page.get_by_role("row").filter(has_text=reference)
    assert rows.count() == 1, main_text(worker)
    assert "Testgrillen Restaurant AS" in rows.inner_text()
    assert "Ikke tildelt" in rows.inner_text()
    worker.press(rows.get_by_role("link", name=reference, exact=True))
    # The definition's case_title names the venue (issue 14).
    assert case.title == "Skjenkebevilling – Testgrillen"
    worker.expect_heading(f"Sak {reference}: {case.title}")
    assert status_of(worker) == "Mottatt"
    assert fact(worker, "Saksbehandler") == "Ikke tildelt"

    # She takes it.
    worker.press(worker.button("Tildel meg"))
    assert "Saken er tildelt deg." in main_text(worker)
    assert fact(worker, "Saksbehandler") == SARA
    assert worker.button("Tildel meg").count() == 0

    # She asks for more information, with three days to answer.
    worker.fill("Hva trenger dere fra søkeren?", REQUEST)
    worker.fill("Svarfrist (dager)", "3")
    worker.press(worker.button("Send forespørselen"))
    assert "Forespørselen er sendt til søkeren." in main_text(worker)
    assert status_of(worker) == "Venter på søker"
    assert REQUEST in worker.page.get_by_role("list", name="Meldinger").inner_text()
    case.refresh_from_db()
    assert case.waiting_until is not None

    # -- Kari: the case on Min side, with an unread marker and what waits for her.
    applicant.goto("/min-side/")
    applicant.expect_heading("Min side")
    item = case_on_my_page(applicant, reference)
    text = item.inner_text()
    assert "1 ulest melding" in text, text
    assert "Venter på søker" in text, text
    # What waits is listed first, under "Trenger svar fra deg", with its deadline.
    deadline = norwegian_date(local_date(case.waiting_until))
    waiting = section(applicant, "Trenger svar fra deg").inner_text()
    assert "Saksbehandleren ber om mer informasjon" in waiting, waiting
    assert f"{case.title} · Testgrillen Restaurant AS" in waiting, waiting
    assert f"Svar innen {deadline}" in waiting, waiting
    applicant.press(item.get_by_role("link", name=f"sak {reference}", exact=False))
    applicant.expect_heading(case.title)
    assert status_of(applicant) == "Venter på søker"
    request_box = section(applicant, "Saksbehandleren ber om mer informasjon")
    assert REQUEST in request_box.inner_text()
    assert f"Svar innen {deadline}." in request_box.inner_text()
    # Opening the case read the thread: the marker is gone from Min side.
    applicant.goto("/min-side/")
    item = case_on_my_page(applicant, reference)
    assert "ulest" not in item.inner_text(), item.inner_text()
    applicant.press(item.get_by_role("link", name=f"sak {reference}", exact=False))

    # She answers in the thread, with a PDF.
    reply = section(applicant, "Svar saksbehandleren")
    reply.get_by_label("Ditt svar", exact=True).fill(ANSWER)
    reply.get_by_label("Vedlegg (valgfritt)", exact=True).set_input_files(
        [pdf_file("leieavtale-2027.pdf")]
    )
    applicant.press(reply.get_by_role("button", name="Send melding"))
    assert "Meldingen er sendt." in main_text(applicant)
    assert status_of(applicant) == "Under behandling"
    thread = applicant.page.get_by_role("list", name="Meldinger")
    assert ANSWER in thread.inner_text()
    assert thread.get_by_role("link", name="leieavtale-2027.pdf").count() == 1
    assert section(applicant, "Saksbehandleren ber om mer informasjon").count() == 0

    # -- Sara: the answer in her inbox, unread, and the case back under review.
    worker.goto("/saksbehandling/saker/")
    worker.expect_heading("Innboks – Næringsetaten")
    rows = worker.page.get_by_role("row").filter(has_text=reference)
    assert rows.count() == 1, main_text(worker)
    assert "1 ulest melding" in rows.inner_text(), rows.inner_text()
    assert "Under behandling" in rows.inner_text(), rows.inner_text()
    worker.press(rows.get_by_role("link", name=reference, exact=True))
    assert status_of(worker) == "Under behandling"
    staff_thread = worker.page.get_by_role("list", name="Meldinger")
    assert ANSWER in staff_thread.inner_text()
    name, data = download(worker, staff_thread.get_by_role("link", name="leieavtale-2027.pdf"))
    assert name == "leieavtale-2027.pdf"
    assert data == pdf_file("leieavtale-2027.pdf")["buffer"]

    # To hearing: the police, social services and the tax authority, each answered.
    worker.press(worker.button("Send på høring"))
    assert "Saken er sendt på høring." in main_text(worker)
    assert status_of(worker) == "På høring"
    for body, remarks, statement in HEARINGS:
        form = hearing_form(worker, body)
        form.get_by_label(remarks, exact=True).check()
        if statement:
            form.get_by_label(f"Uttalelse fra {body}", exact=True).fill(statement)
        worker.press(form.get_by_role("button", name=f"Registrer svaret fra {body}"))
        assert f"Svaret fra {body} er registrert." in main_text(worker)
        answered = section(worker, "Høring").inner_text()
        assert ("Har merknader:" if remarks == "Ja" else "Ingen merknader.") in answered
    assert HEARINGS[2][2] in section(worker, "Høring").inner_text()
    assert worker.page.get_by_role("button", name="Registrer svaret").count() == 0
    worker.press(worker.button("Avslutt høringen"))
    assert status_of(worker) == "Under behandling"

    # The decision: granted, with its justification and legal basis.
    decide = worker.page.get_by_role("group", name="Utfall")
    decide.get_by_label("Innvilget", exact=True).check()
    worker.fill("Begrunnelse (forvaltningsloven § 24)", JUSTIFICATION)
    worker.fill("Hjemmel", LEGAL_BASIS)
    worker.press(worker.button("Fatt vedtaket"))
    assert "Vedtaket er fattet." in main_text(worker)
    assert status_of(worker) == "Vedtak fattet"
    assert "Innvilget" in section(worker, "Vedtak").inner_text()
    staff_history = section(worker, "Historikk").inner_text()
    assert f"Saken ble tildelt {SARA}." in staff_history, staff_history
    assert "Skatteetaten har gitt sin uttalelse i høringen." in staff_history, staff_history

    # -- Kari: the decision, the letter, the right to appeal and its deadline.
    applicant.goto("/min-side/")
    item = case_on_my_page(applicant, reference)
    assert "Du har fått vedtak i saken." in item.inner_text(), item.inner_text()
    applicant.press(item.get_by_role("link", name=f"sak {reference}", exact=False))
    assert status_of(applicant) == "Vedtak fattet"
    decision_box = section(applicant, "Vedtak")
    shown = decision_box.inner_text()
    assert "Innvilget" in shown, shown
    assert JUSTIFICATION in shown and LEGAL_BASIS in shown, shown

    from iktipet.cases.deadlines import appeal_deadline, is_working_day
    from iktipet.cases.models import Decision

    decision = Decision.objects.get(case=case)
    assert decision.outcome == "granted"
    assert decision.delivered_at is not None  # opening the page delivered it
    expected = appeal_deadline(decision.delivered_at)
    assert decision.appeal_deadline == expected
    assert is_working_day(expected)
    assert (expected - local_date(decision.delivered_at)).days >= 21
    assert "Du har rett til å klage" in main_text(applicant)
    assert f"Klagefristen er {norwegian_date(expected)}." in main_text(applicant)

    name, letter = download(
        applicant, decision_box.get_by_role("link", name="Last ned vedtaksbrevet (PDF)")
    )
    assert name.endswith(".pdf"), name
    assert_pdfa(letter)
    assert applicant.page.get_by_role("link", name="Klag på vedtaket").count() == 1
    history = section(applicant, "Historikk").inner_text()
    assert f"Vedtaket kom fram til deg. Klagefristen er {norwegian_date(expected)}." in history
    assert "«På høring» til «Under behandling»" in history, history
    assert "tildelt" not in history, history  # the assignment is internal

    # Every page each of them saw was checked by axe (and for CSP violations) on loading:
    # the inbox, the case page after each action, Min side, the case page, the decision.
    staff_case = f"/saksbehandling/saker/{case.pk}/"
    assert checks_of(worker, "/saksbehandling/saker/") >= 3
    assert checks_of(worker, staff_case) >= 10, worker.checked
    assert checks_of(applicant, "/min-side/") >= 3
    assert checks_of(applicant, f"/min-side/saker/{case.pk}/") >= 4, applicant.checked
