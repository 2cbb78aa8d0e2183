"""One open barnehageplass application per child (``one_open_per: child``), in a real browser
at 1280 and 375 px, axe on every page.

Kari has sent an application for Emma (over HTTP, before she logs in). She starts another
and chooses Emma again: "Neste steg" stops once on the child step with a warning that links
to the application she has; the next press goes on, with Emma kept. Going back to the child
step shows the warning again but no longer stops her. The summary repeats the warning with
its link, which opens the first application's receipt, and the second can still be sent:
a warning, not a block.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from support.seed_journeys import (
    KARI,
    WIDTHS,
    Journey,
    journey_at,
    pinned_today,  # noqa: F401  (fixture)
    seed_site,  # noqa: F401  (fixture)
    sent_barnehageplass,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("pinned_today")]

EMMA = "14832699927"
CHILD = "Hvilket barn søker du for?"
EMMA_LABEL = "Emma Nordmann-Test (14.03.2026)"
RIGHT = "Barnet har rett til plass fra 1. august 2027 hvis du søker innen 1. mars 2027."
WARNING = (
    "Du har allerede en åpen søknad om barnehageplass for dette barnet. Ett barn trenger bare "
    "én søknad; du kan endre barnehagene i den du har."
)


@pytest.fixture
def emma_sent(seed_site):  # noqa: F811
    """Kari's application for Emma, sent before she logs in."""
    return sent_barnehageplass(KARI, EMMA)


def _warning(person: Journey, first) -> str:
    """The warning's text, after checking it is there once and links to ``first``."""
    warning = person.page.locator("#open-elsewhere")
    assert warning.count() == 1, person.page.url
    assert warning.get_attribute("role") == "alert"  # announced, not only found by reading on
    link = warning.get_by_role("link", name=f"referanse {first.reference}", exact=False)
    receipt = reverse("applications:receipt", args=[first.pk])
    assert link.get_attribute("href") == receipt, link.evaluate("a => a.outerHTML")
    return warning.inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_second_application_for_the_same_child_is_warned_about_once(
    page,
    seed_site,  # noqa: F811
    axe_check,
    emma_sent,
    width,
):
    from iktipet.applications.models import Application

    person = journey_at(width, page, seed_site, axe_check)
    person.start_service("barnehageplass", KARI, "high", "Søk barnehageplass")
    person.expect_heading("Søk barnehageplass")
    person.begin()
    person.expect_heading("Barnet")
    assert page.locator("#open-elsewhere").count() == 0  # no child chosen yet
    child_step = page.url

    # Emma again: the first press stays on the child step, with the warning and its link.
    person.choose(CHILD, EMMA_LABEL)
    page.wait_for_function("t => document.querySelector('main').innerText.includes(t)", arg=RIGHT)
    person.check()
    # Pressed as a person does, without Journey.next's second press: the step staying is
    # what is tested here (had the server also found a new question, it would say so on
    # this same page, and the warning with it).
    person.wait_for_live_answers()
    person.press(page.locator(".app-actions button[value=next]"))
    assert page.url == child_step
    person.expect_heading("Barnet")
    shown = _warning(person, emma_sent)
    assert WARNING in shown and "Du kan likevel fortsette med denne søknaden." in shown, shown
    assert person.within(CHILD).get_by_label(EMMA_LABEL, exact=True).is_checked()
    assert page.locator("body").evaluate("b => b.scrollWidth <= window.innerWidth")

    # The next press goes on; the warning is not on the following step.
    person.next()
    person.expect_heading("Barnehager og oppstart")
    assert page.locator("#open-elsewhere").count() == 0
    second = Application.objects.exclude(pk=emma_sent.pk).get(service_id="barnehageplass")
    assert second.answers["child"] == EMMA

    # Back on the child step the warning still informs, but no longer stops her.
    person.press(person.button("Forrige steg"))
    person.expect_heading("Barnet")
    _warning(person, emma_sent)
    person.next()
    person.expect_heading("Barnehager og oppstart")

    ranked = person.within("Barnehager i prioritert rekkefølge")
    person.select_starting(ranked.get_by_label("1. valg"), "Barnehagen Testlia")
    person.fill("Ønsket oppstart", "2027-08-02")
    person.next()
    person.expect_heading("Prioritet")
    person.choose("Gjelder noe av dette barnet?", "Nei, ingen av disse")
    person.next()
    person.expect_heading("Bekreft")
    person.page.get_by_label("Jeg bekrefter at opplysningene er riktige", exact=False).check()
    person.next()

    # The summary says it too; its link opens the application she already has.
    person.expect_heading("Se over og send inn")
    assert WARNING in _warning(person, emma_sent)
    summary = page.url
    person.press(page.locator("#open-elsewhere").get_by_role("link"))
    person.expect_heading("Søknaden er sendt")
    assert emma_sent.reference in page.locator(".app-reference").inner_text()

    # A warning, not a block: the second application can be sent.
    person.goto(summary.removeprefix(seed_site))
    person.press(person.button("Send inn søknaden"))
    person.expect_heading("Søknaden er sendt")
    second.refresh_from_db()
    assert second.status == Application.Status.SUBMITTED
    assert second.reference != emma_sent.reference
