"""Nabovarsel in a real browser: the pre-check first stops with "no application needed";
changed answers then need a notice: the property is looked up, the neighbours come
prefilled from the property register and one is corrected, a dispensation is added,
drawings are uploaded, the notice is sent and the PDF/A-2b receipt downloaded. axe checks
every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from iktipet.applications.engine.names import count_input, row_input
from support.seed_journeys import (
    KARI,
    Journey,
    assert_pdfa_receipt,
    pdf_file,
    png_file,
    seed_site,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.browser]

GARAGE = {
    "Bebygd areal og bruksareal (m²)": "30",
    "Mønehøyde (meter)": "3,5",
    "Gesimshøyde (meter)": "2,5",
    "Korteste avstand til nabogrensen og til andre bygninger (meter)": "2",
}
GARAGE_YES_NO = {
    "Er det bygget bolig på eiendommen, og er den regulert (omfattet av en reguleringsplan)?": "Ja",
    "Har bygningen bare én etasje og ingen kjeller?": "Ja",
    "Skal bygningen stå over vann- eller avløpsledninger?": "Nei",
    "Er byggestedet nærmere enn 100 meter fra sjøen?": "Nei",
    "Er byggestedet nærmere enn 30 meter fra en jernbane?": "Nei",
}


def test_nabovarsel_precheck_then_a_notice(page, seed_site, axe_check):  # noqa: F811
    person = Journey(page, seed_site, axe_check)
    person.start_service("nabovarsel", KARI, "substantial", "Nabovarsel")
    person.expect_heading("Nabovarsel")
    person.begin()

    # Run 1: a small garage. The pre-check says no application and no notice are needed.
    person.expect_heading("Trenger du å søke?")
    person.choose("Hva vil du gjøre?", "Bygge garasje, uthus eller bod")
    person.field("Bebygd areal og bruksareal (m²)").wait_for()  # the garage questions appear
    for label, value in GARAGE.items():
        person.fill(label, value)
    for group, answer in GARAGE_YES_NO.items():
        person.choose(group, answer)
    person.next()
    person.expect_heading("Du trenger ikke søke, og du trenger ikke sende nabovarsel")
    assert "byggesaksforskriften (SAK10) § 4-1" in person.page.inner_text("main")
    assert person.button("Neste steg").count() == 0

    # Run 2: the garage grows to 70 m²: now it needs an application and a notice.
    person.press(person.page.get_by_role("link", name="Endre svarene dine"))
    person.expect_heading("Trenger du å søke?")
    person.fill("Bebygd areal og bruksareal (m²)", "70")
    person.next()

    # The property by its matrikkel number; the address comes from the property register.
    person.expect_heading("Eiendom og tiltakshaver")
    site = person.within("Eiendommen det skal bygges på")
    site.get_by_label("Kommunenr.").fill("0301")
    site.get_by_label("Gårdsnr.").fill("901")
    site.get_by_label("Bruksnr.").fill("12")
    person.choose("Hvem er tiltakshaver?", "Jeg selv")
    # The developer's fields appear, the address filled in from the property register.
    address = person.within("Adressen til eiendommen")
    expect(address.get_by_label("Gateadresse")).to_have_value("Testveien 12")
    person.check()
    assert address.get_by_label("Postnummer").input_value() == "0560"
    developer = person.within("Tiltakshaver")
    assert developer.get_by_label("Fullt navn").input_value() == "Kari Nordmann-Test"
    person.next()

    # The neighbours, one row per owner of each adjoining property, prefilled.
    person.expect_heading("Naboer og gjenboere")
    rows = int(person.page.locator(f"input[name={count_input('neighbours')}]").input_value())
    owners = [
        person.page.locator(f"input[name={row_input('neighbours', index, 'name')}]").input_value()
        for index in range(rows)
    ]
    assert {"Nora Lie-Test", "Dahl Eksempelbygg AS"} <= set(owners), owners
    assert "Kari Nordmann-Test" not in owners  # the applicant's own property is not a neighbour
    nora = person.within(f"Nabo {owners.index('Nora Lie-Test') + 1}")
    assert nora.get_by_label("Gateadresse").input_value() == "Testveien 10"
    # One is corrected: the company next door is notified through its board as a sameie.
    second = person.within(f"Nabo {owners.index('Dahl Eksempelbygg AS') + 1}")
    second.get_by_label("Navn", exact=True).fill("Sameiet Testveien 14 v/styret")
    second.get_by_label("Nabo som").select_option(label="Sameie (styret)")
    person.next()

    # The project, with a dispensation: a second row is added for a second provision.
    person.expect_heading("Tiltaket")
    person.within("Hva skal du gjøre?").get_by_label("Garasje, uthus eller bod").check()
    person.fill("Beskriv tiltaket", "Dobbelgarasje på 70 m² ved innkjørselen.")
    person.choose("Søker du om dispensasjon fra plan eller regler?", "Ja")
    person.within("Dispensasjon 1").wait_for()  # the dispensation rows appear
    first = person.within("Dispensasjon 1")
    first.get_by_label("Bestemmelsen du søker dispensasjon fra").fill("Reguleringsplan § 3.2")
    first.get_by_label("Begrunnelse").fill("Tomta er stor; garasjen skjermer naboene for støy.")
    person.press(person.button("Legg til Dispensasjon"))
    second = person.within("Dispensasjon 2")
    assert first.get_by_label("Begrunnelse").input_value().startswith("Tomta er stor")
    second.get_by_label("Bestemmelsen du søker dispensasjon fra").fill("Byggegrense mot vei")
    second.get_by_label("Begrunnelse").fill("Garasjen står 1 meter innenfor byggegrensen.")
    person.next()

    person.expect_heading("Vedlegg")
    person.upload("Situasjonskart med tiltaket tegnet inn", pdf_file("situasjonskart.pdf"))
    person.press(person.button("Last opp").first)  # the page listing an uploaded file
    uploaded = person.page.get_by_role("list", name="Opplastede filer")
    assert uploaded.get_by_role("link", name="situasjonskart.pdf").count() == 1
    person.upload("Tegninger (plan, snitt og fasade)", png_file("fasade.png"))
    person.upload(
        "Utfyllende begrunnelse for dispensasjon (valgfritt)", pdf_file("dispensasjon.pdf")
    )
    person.next()

    person.expect_heading("Send nabovarselet")
    person.page.get_by_label("Jeg bekrefter at opplysningene er riktige", exact=False).check()
    person.next()

    person.expect_heading("Se over og send inn")
    main = person.page.inner_text("main")
    for expected in (
        "Testveien 12",
        "Sameiet Testveien 14 v/styret",
        "Nora Lie-Test",
        "Byggegrense mot vei",
        "situasjonskart.pdf",
        "fasade.png",
    ):
        assert expected in main, expected
    assert "Dahl Eksempelbygg AS" not in main
    assert KARI not in main
    person.press(person.button("Send inn søknaden"))
    person.expect_heading("Søknaden er sendt")
    assert "minst 14 dager" in person.page.inner_text("main")
    assert_pdfa_receipt(person.download_receipt())
