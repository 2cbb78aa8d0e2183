"""A whole journey with JavaScript switched off: nabovarsel from the catalogue through
TestID to the receipt, adding a neighbour row and uploading files with the page's own
buttons. Everything a person needs works as plain HTML forms.

axe cannot run with JavaScript off (its promise never settles), so this test checks no
accessibility: the same pages, in the same states, are checked by axe in
test_seed_nabovarsel.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from support.seed_journeys import (
    KARI,
    Journey,
    assert_pdfa_receipt,
    pdf_file,
    png_file,
    seed_site,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.browser]


@pytest.fixture
def nojs_page(browser: Any, seed_site: str) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(base_url=seed_site, locale="nb-NO", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.csp_violations = []
    # Proof that the page's own scripts are off in this context.
    page.set_content(
        '<p id="x">off</p><script>document.getElementById("x").textContent = "on"</script>'
    )
    assert page.inner_text("#x") == "off"
    yield page
    context.close()


def test_nabovarsel_without_javascript(nojs_page, seed_site):  # noqa: F811
    person = Journey(nojs_page, seed_site, axe_check=None)
    person.start_service("nabovarsel", KARI, "substantial", "Nabovarsel")
    person.begin()

    person.expect_heading("Trenger du å søke?")
    person.choose("Hva vil du gjøre?", "Noe annet")
    person.next()

    person.expect_heading("Eiendom og tiltakshaver")
    site = person.within("Eiendommen det skal bygges på")
    site.get_by_label("Kommunenr.").fill("0301")
    site.get_by_label("Gårdsnr.").fill("901")
    site.get_by_label("Bruksnr.").fill("12")
    person.choose("Hvem er tiltakshaver?", "Jeg selv")
    person.next()
    person.expect_heading("Eiendom og tiltakshaver")
    assert person.within("Adressen til eiendommen").get_by_label("Gateadresse").input_value() == (
        "Testveien 12"
    )
    person.next()

    # A repeating group without JavaScript: the add button posts the page and comes back
    # with an empty row, keeping the rows already there.
    person.expect_heading("Naboer og gjenboere")
    rows = person.page.locator("fieldset.app-group__item").count()
    assert rows >= 2
    person.press(person.button("Legg til Nabo"))
    assert person.page.locator("fieldset.app-group__item").count() == rows + 1
    added = person.within(f"Nabo {rows + 1}")
    added.get_by_label("Navn", exact=True).fill("Gjenboer Testesen")
    added.get_by_label("Gateadresse").fill("Testveien 13")
    added.get_by_label("Postnummer").fill("0560")
    added.get_by_label("Poststed").fill("Oslo")
    added.get_by_label("Kommunenr.").fill("0301")
    added.get_by_label("Gårdsnr.").fill("901")
    added.get_by_label("Bruksnr.").fill("13")
    added.get_by_label("Nabo som").select_option(label="Gjenboer")
    person.next()

    person.expect_heading("Tiltaket")
    person.within("Hva skal du gjøre?").get_by_label("Tilbygg eller påbygg").check()
    person.fill("Beskriv tiltaket", "Tilbygg på 12 m² mot hagen.")
    person.choose("Søker du om dispensasjon fra plan eller regler?", "Nei")
    person.next()

    # Files go up with the field's own "Last opp" button, then the step goes on.
    person.expect_heading("Vedlegg")
    person.upload("Situasjonskart med tiltaket tegnet inn", pdf_file("kart.pdf"))
    person.press(person.button("Last opp").first)
    files = person.page.get_by_role("list", name="Opplastede filer")
    assert files.get_by_role("link", name="kart.pdf").count() == 1
    person.upload("Tegninger (plan, snitt og fasade)", png_file("snitt.png"), png_file("plan.png"))
    person.next()

    person.expect_heading("Send nabovarselet")
    person.page.get_by_label("Jeg bekrefter at opplysningene er riktige", exact=False).check()
    person.next()

    person.expect_heading("Se over og send inn")
    main = person.page.inner_text("main")
    for expected in ("Gjenboer Testesen", "kart.pdf", "snitt.png", "plan.png", "Testveien 12"):
        assert expected in main, expected
    person.press(person.button("Send inn søknaden"))
    person.expect_heading("Søknaden er sendt")
    assert_pdfa_receipt(person.download_receipt())
