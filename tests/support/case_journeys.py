"""Helpers for the case-handling journeys in a real browser.

The journeys start where the seed-service journeys end: an application submitted in the
browser (the seed tests' own steps, imported and run as they are), after which a case
worker and the applicant, and for a nabovarsel the neighbours, each act in their own
browser context, logged in through TestID as in the demo. Every page any of them loads is
checked by axe (WCAG 2.1 A/AA) and for Content-Security-Policy violations (``Journey``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from support.seed_journeys import Journey

#: TestID's synthetic case workers (iktipet.testid.identities.STAFF_USERS).
SARA = "Sara Saksbehandler"  # Næringsetaten, saksbehandler
PAL = "Pål Plan"  # Plan- og bygningsetaten, saksbehandler


@pytest.fixture
def another_person(browser: Any, seed_site: str, axe_check: Callable[..., None]) -> Iterator[Any]:
    """``another_person()`` is a new person at the live server: a browser context of their
    own (own cookies, own session), wrapped in a :class:`Journey`. Closed after the test."""
    contexts: list[Any] = []

    def make() -> Journey:
        context = browser.new_context(base_url=seed_site, locale="nb-NO")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.csp_violations = []

        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text:
                page.csp_violations.append(message.text)

        page.on("console", on_console)
        return Journey(page, seed_site, axe_check)

    yield make
    for context in contexts:
        context.close()


# -- logging in -------------------------------------------------------------------------------


def staff_login(person: Journey, name: str, path: str = "/saksbehandling/saker/") -> None:
    """Open a staff page and log in as TestID's synthetic employee ``name`` on the way."""
    person.goto(path)
    person.expect_heading("Logg inn som ansatt med TestID")
    person.page.get_by_label(name, exact=True).check()
    person.press(person.button("Logg inn"))
    assert person.page.url.split("?")[0].endswith(path), person.page.url


def citizen_login(person: Journey, pid: str, path: str = "/min-side/") -> None:
    """Open a citizen page and log in through TestID (level substantial) on the way."""
    person.goto(path)
    person.testid_login(pid, "substantial")
    assert person.page.url.split("?")[0].endswith(path), person.page.url


# -- reading pages ----------------------------------------------------------------------------


def main_text(person: Journey) -> str:
    """The page's main content as a person reads it (no-break spaces as spaces)."""
    return person.page.inner_text("main").replace("\u00a0", " ")


def section(person: Journey, heading: str) -> Any:
    """The region (``<section aria-labelledby>``) whose heading is ``heading``."""
    return person.page.get_by_role("region", name=heading, exact=True)


def fact(person: Journey, term: str) -> str:
    """The value of ``term`` in the page's facts list (``<dt>term</dt><dd>value</dd>``)."""
    terms = person.page.locator("dt").filter(has_text=re.compile(rf"^\s*{re.escape(term)}\s*$"))
    assert terms.count() >= 1, f"{person.page.url}: no {term!r} on the page"
    return terms.first.locator("xpath=following-sibling::dd[1]").inner_text().strip()


def status_of(person: Journey) -> str:
    """The case's status as its page (the applicant's or the case worker's) shows it."""
    return fact(person, "Status")


def case_on_my_page(person: Journey, reference: str) -> Any:
    """The case's entry in the "Saker" section of Min side."""
    cases = section(person, "Saker")
    assert cases.count() == 1, main_text(person)
    link = person.page.get_by_role("link", name=f"sak {reference}", exact=False)
    item = cases.get_by_role("listitem").filter(has=link)
    assert item.count() == 1, cases.inner_text()
    return item


def hearing_form(person: Journey, body: str) -> Any:
    """The case worker's form for recording ``body``'s statement: its own region, named by
    the body, so a screen reader tells the three forms apart too."""
    form = section(person, "Høring").get_by_role("region", name=body, exact=True).locator("form")
    assert form.count() == 1, f"{person.page.url}: no open hearing of {body}"
    return form


def checks_of(person: Journey, path: str) -> int:
    """How many times a page at ``path`` was loaded and checked (axe and CSP) so far."""
    return sum(1 for url in person.checked if urlsplit(url).path == path)


def download(person: Journey, link: Any) -> tuple[str, bytes]:
    """Click a download link; (suggested file name, bytes)."""
    with person.page.expect_download() as info:
        link.click()
    found = info.value
    assert found.failure() is None, found.failure()
    return found.suggested_filename, Path(found.path()).read_bytes()


def assert_pdf(data: bytes) -> None:
    assert data.startswith(b"%PDF-"), data[:40]


def assert_pdfa(data: bytes) -> None:
    """A PDF/A-2 document (by its XMP identification) with every font embedded."""
    from iktipet.documents.pdfcheck import pdf_facts

    assert_pdf(data)
    facts = pdf_facts(data)
    assert facts.pages >= 1, facts
    assert facts.pdfa_part == "2", facts
    assert facts.pdfa_conformance == "B", facts
    assert facts.all_fonts_embedded, facts.fonts


def norwegian_date(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def local_date(moment: datetime.datetime) -> datetime.date:
    """The day in Oslo (what the pages show) of a stored UTC time."""
    from iktipet.cases.deadlines import local_date as oslo_date

    return oslo_date(moment)
