"""Skjenkebevilling in a real browser: Kari Nordmann-Test logs in through TestID, acts for
Testgrillen Restaurant AS (she is daglig leder), fills every step, sees the fee computed
by alkoholforskriften § 6-2, submits and downloads a PDF/A-2b receipt. axe checks every
page, the error state included."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from support.seed_journeys import (
    KARI,
    PER,
    TESTGRILLEN,
    Journey,
    assert_pdfa_receipt,
    pdf_file,
    png_file,
    seed_site,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.browser]

ATTACHMENTS = {
    "Firmaattest": "firmaattest.pdf",
    "Oversikt over eiere med mer enn en tredjedel av virksomheten": "eiere.pdf",
    "Skatteattest": "skatteattest.pdf",
    "Leieavtale eller annen dokumentasjon på at dere disponerer lokalet": "leieavtale.pdf",
    "Brukstillatelse eller ferdigattest for lokalet": "brukstillatelse.pdf",
    "Bevis for bestått kunnskapsprøve – styrer": "kunnskapsprove-styrer.pdf",
    "Bevis for bestått kunnskapsprøve – stedfortreder": "kunnskapsprove-stedfortreder.pdf",
    "Samtykke fra grunneier til uteservering": "grunneier.pdf",
}


def test_skjenkebevilling_for_an_organisation(page, seed_site, axe_check):  # noqa: F811
    person = Journey(page, seed_site, axe_check)
    person.start_service("skjenkebevilling", KARI, "substantial", "Skjenkebevilling")

    # The service is for organisations: choose the one Kari leads.
    person.expect_heading("Hvem vil du representere?")
    person.page.get_by_label(f"Testgrillen Restaurant AS (org.nr. {TESTGRILLEN})").check()
    person.press(person.button("Bekreft"))
    person.expect_heading("Skjenkebevilling")
    assert "Søker: Testgrillen Restaurant AS (org.nr. 310000019)" in person.page.inner_text("main")
    person.begin()

    # Step 1: the venue. First press on with nothing filled in: the errors are listed,
    # linked to their fields, and the page with errors is as accessible as the others.
    person.expect_heading("Skjenkestedet")
    person.next()
    errors = person.error_summary()
    hrefs = [href for _, href in errors]
    assert "#f-application_kind-1" in hrefs
    assert "#f-venue_name" in hrefs
    assert person.page.title().startswith("Feil:")
    assert person.field("Navn på skjenkestedet").get_attribute("aria-invalid") == "true"
    # Following a link puts the person at the field.
    person.page.locator("#error-summary").get_by_role("link").filter(
        has_text="Navn på skjenkestedet"
    ).click()
    assert person.page.evaluate("document.activeElement.id") == "f-venue_name"

    person.choose("Hva søker du om?", "Bevilling for et nytt skjenkested")
    person.choose("Har stedet serveringsbevilling?", "Ja")
    person.fill("Navn på skjenkestedet", "Testgrillen")
    venue = person.within("Adressen til skjenkestedet")
    venue.get_by_label("Søk etter adressen").fill("Demogata 10")
    person.press(venue.get_by_role("button", name="Søk", exact=True))
    venue = person.within("Adressen til skjenkestedet")
    person.press(venue.get_by_role("button", name="Velg Demogata 10, 0655 OSLO"))
    venue = person.within("Adressen til skjenkestedet")
    assert venue.get_by_label("Gateadresse").input_value() == "Demogata 10"
    assert venue.get_by_label("Postnummer").input_value() == "0655"
    person.field("Type virksomhet").select_option(label="Restaurant")
    person.fill("Konsept", "Grillrestaurant for familier, med øl og vin til maten.")
    person.fill("Åpningstider", "Mandag–søndag 11–23.")
    person.next()

    # Step 2: styrer and stedfortreder, both synthetic persons of 20 years or more.
    person.expect_heading("Styrer og stedfortreder")
    styrer = person.within("Styrer")
    styrer.get_by_label("Fullt navn").fill("Kari Nordmann-Test")
    styrer.get_by_label("Fødselsnummer (11 siffer)").fill(KARI)
    deputy = person.within("Stedfortreder")
    deputy.get_by_label("Fullt navn").fill("Per Dahl-Test")
    deputy.get_by_label("Fødselsnummer (11 siffer)").fill(PER)
    person.page.get_by_label(
        "Styrer og stedfortreder er ansatt på skjenkestedet og har bestått kunnskapsprøven",
        exact=False,
    ).check()
    person.next()

    # Step 3: alcohol groups with litres: 10 000 / 3 000 / 200 l → 11 848 kr.
    person.expect_heading("Alkoholgrupper og mengde")
    groups = "Hvilke alkoholgrupper vil dere skjenke?"
    for option in ("Gruppe 1", "Gruppe 2", "Gruppe 3"):
        person.within(groups).get_by_label(option, exact=False).check()
    person.within("Hvor skal dere skjenke?").get_by_label("Innendørs").check()
    person.within("Hvor skal dere skjenke?").get_by_label("Utendørs (uteservering)").check()
    # The litres questions appear as the groups are ticked: no press needed.
    person.field("Forventet mengde gruppe 3 per år (liter)").wait_for()
    person.fill("Forventet mengde gruppe 1 per år (liter)", "10000")
    person.fill("Forventet mengde gruppe 2 per år (liter)", "3000")
    person.fill("Forventet mengde gruppe 3 per år (liter)", "200")
    person.fill("Skjenkeareal innendørs (m²)", "120")
    person.fill("Skjenkeareal utendørs (m²)", "40")
    person.fill("Beskriv uteserveringen", "Fortauet foran lokalet; grunnen eies av kommunen.")
    # The estimate for these volumes appears as they are typed, announced; then one press.
    expect(person.page.locator("#f-fee_estimate")).to_contain_text(re.compile(r"11\s848"))
    assert "Bevillingsgebyr" in person.page.locator("[data-live-status]").inner_text()
    estimate = person.page.locator("#f-fee_estimate").text_content() or ""
    assert "gebyret 11 848 kr per år" in estimate.replace("\u00a0", " "), estimate
    person.check()
    person.next()

    # Step 4: serving hours.
    person.expect_heading("Skjenketider")
    person.fill("Øl og vin fra kl.", "11:00")
    person.fill("Øl og vin til kl.", "01:00")
    person.fill("Brennevin fra kl.", "13:00")
    person.fill("Brennevin til kl.", "00:00")
    person.next()

    # Step 5: every required attachment, as small real PDF and PNG files.
    person.expect_heading("Vedlegg")
    for label, name in ATTACHMENTS.items():
        person.upload(label, pdf_file(name))
    person.upload("Tegning av lokalet", png_file("plantegning.png"))
    person.upload("Tegning av uteserveringen", png_file("uteservering.png"))
    person.next()

    # Step 6: confirm.
    person.expect_heading("Bekreft")
    person.page.get_by_label("Jeg bekrefter at opplysningene er riktige", exact=False).check()
    person.next()

    # The summary shows what was given and the fee DOMAIN.md computes for these litres.
    person.expect_heading("Se over og send inn")
    fee = person.page.locator("#fee").inner_text().replace("\u00a0", " ")
    assert fee == "Du skal betale 11 848,00 kr.", fee
    main = person.page.inner_text("main")
    assert "Demogata 10" in main
    assert KARI not in main and "178190 *****" in main
    person.press(person.button("Send inn søknaden"))

    person.expect_heading("Søknaden er sendt")
    receipt = person.page.inner_text("main").replace("\u00a0", " ")
    assert "Testgrillen Restaurant AS" in receipt
    assert "11 848,00 kr" in receipt
    assert_pdfa_receipt(person.download_receipt())
