"""Barnehageplass in a real browser: a parent logs in through TestID at level high, picks
a child from the population register, reads the child's right to a place, ranks three
kindergartens, chooses a start date and a priority group with documentation, submits and
downloads a PDF/A-2b receipt. axe checks every page."""

from __future__ import annotations

import pytest

from support.seed_journeys import (
    JONAS,
    KARI,
    Journey,
    assert_pdfa_receipt,
    pdf_file,
    pinned_today,  # noqa: F401  (fixture)
    seed_site,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("pinned_today")]

CHILD = "Hvilket barn søker du for?"
RANKED = "Barnehager i prioritert rekkefølge"
EMMA, LEAH = "14832699927", "05892699935"
KINDERGARTENS = ["Eksempelhagen barnehage", "Barnehagen Testlia", "Fiktivtoppen barnehage"]


def _apply(person: Journey, pid: str, child: str, child_pid: str, right: str, start: str) -> None:
    person.start_service("barnehageplass", pid, "high", "Søk barnehageplass")
    person.expect_heading("Søk barnehageplass")
    person.begin()

    # The child: one of the parent's children from the population register.
    person.expect_heading("Barnet")
    person.choose(CHILD, child)
    # The choice reveals what right the child has: it appears as the person answers.
    person.page.wait_for_function(
        "t => document.querySelector('main').innerText.includes(t)", arg=right
    )
    person.check()
    person.next()

    person.expect_heading("Barnehager og oppstart")
    ranked = person.within(RANKED)
    for rank, name in enumerate(KINDERGARTENS, start=1):
        person.select_starting(ranked.get_by_label(f"{rank}. valg"), name)
    person.fill("Ønsket oppstart", start)
    person.field("Ønsket oppholdstid (valgfritt)").select_option(label="Heltid (100 %)")
    person.next()

    person.expect_heading("Prioritet")
    person.choose("Gjelder noe av dette barnet?", "Enslig forsørger")
    # The documentation question comes into view; upload the documentation.
    person.field("Dokumentasjon av fortrinnsretten").wait_for()
    person.upload("Dokumentasjon av fortrinnsretten", pdf_file("bekreftelse-enslig.pdf"))
    person.next()

    person.expect_heading("Bekreft")
    person.page.get_by_label("Jeg bekrefter at opplysningene er riktige", exact=False).check()
    person.next()

    person.expect_heading("Se over og send inn")
    main = person.page.inner_text("main")
    for name in KINDERGARTENS:
        assert name in main
    assert "bekreftelse-enslig.pdf" in main
    assert child in main  # the child by name and birth date …
    assert child_pid not in main  # … never by fødselsnummer
    assert "Søknaden er gratis." in main
    person.press(person.button("Send inn søknaden"))
    person.expect_heading("Søknaden er sendt")
    assert_pdfa_receipt(person.download_receipt())


def test_kari_applies_for_emma(page, seed_site, axe_check):  # noqa: F811
    person = Journey(page, seed_site, axe_check)
    # Emma, born March 2026: a place from August 2027 if the application is in by 1 March.
    _apply(
        person,
        KARI,
        "Emma Nordmann-Test (14.03.2026)",
        EMMA,
        "Barnet har rett til plass fra 1. august 2027 hvis du søker innen 1. mars 2027.",
        "2027-08-02",
    )


def test_jonas_applies_for_leah(page, seed_site, axe_check):  # noqa: F811
    person = Journey(page, seed_site, axe_check)
    # Leah, born September 2026: a place from September 2027 (the month she turns one).
    _apply(
        person,
        JONAS,
        "Leah Haugen-Test (05.09.2026)",
        LEAH,
        "Barnet har rett til plass fra 1. september 2027 hvis du søker innen 1. mars 2027.",
        "2027-09-06",
    )
