"""A skjenkebevilling is not granted before the hearing (alkoholloven § 1-7), in a real
browser at 1280 and 375 px, axe on every page.

Sara Saksbehandler of Næringsetaten takes a case sent with the skjenkebevilling workflow,
starts the review and tries to grant it: the case page refuses with the hearing bodies
named, keeps what she wrote, and the case stays under review. She sends it to hearing;
ending the hearing before the bodies have answered is refused too. When the police, the
social service and the tax authority have answered and the hearing is ended, the same
grant goes through.
"""

from __future__ import annotations

import pytest

from support.case_journeys import main_text, section, staff_login, status_of
from support.cases import case_service, submitted_case
from support.seed_journeys import WIDTHS, Journey, journey_at, seed_site  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser]

JUSTIFICATION = "Søkeren oppfyller vilkårene i alkoholloven."
LEGAL_BASIS = "Alkoholloven § 1-7 og § 4-2."
BODIES = ("Politiet", "Sosialtjenesten", "Skatteetaten")
REFUSED = (
    "Søknaden kan ikke innvilges før høringen er avsluttet: Politiet, Sosialtjenesten, "
    "Skatteetaten har ikke svart, og svarfristen er ikke ute."
)
NOT_HEARD = "Alle høringsinstansene må ha svart, eller svarfristen må være ute, først."


@pytest.fixture
def case(seed_site):  # noqa: F811
    """A case of the skjenkebevilling workflow, sent over HTTP by Kari, not yet looked at."""
    case_service("skjenke-test", title="Skjenkebevilling (test)", workflow="skjenkebevilling")
    return submitted_case("skjenke-test", publish_service=False, workflow="skjenkebevilling")


def _grant(worker: Journey) -> None:
    """Fill the decision form as a grant and press "Fatt vedtaket"."""
    form = worker.page.locator("#decide-form")
    form.get_by_role("group", name="Utfall").get_by_label("Innvilget", exact=True).check()
    worker.fill("Begrunnelse (forvaltningsloven § 24)", JUSTIFICATION)
    worker.fill("Hjemmel", LEGAL_BASIS)
    appeal_body = worker.field("Klageinstans")
    if not appeal_body.input_value():  # the configured body, or one written in
        appeal_body.fill("Statsforvalteren i Østfold, Buskerud, Oslo og Akershus")
    worker.press(worker.button("Fatt vedtaket"))


@pytest.mark.parametrize("width", WIDTHS)
def test_a_grant_is_refused_until_the_hearing_has_been_held(
    page,
    seed_site,  # noqa: F811
    axe_check,
    case,
    width,
):
    from iktipet.cases.models import Decision

    worker = journey_at(width, page, seed_site, axe_check)
    staff_case = f"/saksbehandling/saker/{case.pk}/"
    staff_login(worker, "Sara Saksbehandler", staff_case)
    worker.expect_heading(f"Sak {case.reference}: {case.title}")
    worker.press(worker.button("Tildel meg"))
    worker.press(worker.button("Start behandlingen"))
    assert status_of(worker) == "Under behandling"

    # A grant before the hearing: refused on the case page, nothing decided.
    _grant(worker)
    worker.expect_heading(f"Sak {case.reference}: {case.title}")
    summary = worker.error_summary()
    assert summary == [(REFUSED, "#decide-form")], summary
    assert REFUSED in worker.page.locator("#decide-form-alert").inner_text()
    assert status_of(worker) == "Under behandling"
    assert "Vedtaket er fattet." not in main_text(worker)
    # What she wrote is kept for the next try.
    assert worker.field("Begrunnelse (forvaltningsloven § 24)").input_value() == JUSTIFICATION
    assert worker.field("Hjemmel").input_value() == LEGAL_BASIS
    assert worker.page.locator("#decide-outcome-granted").is_checked()
    assert not Decision.objects.filter(case=case).exists()
    assert page.locator("body").evaluate("b => b.scrollWidth <= window.innerWidth")

    # To hearing. Ending it before anyone has answered is refused as well.
    worker.press(worker.button("Send på høring"))
    assert "Saken er sendt på høring." in main_text(worker)
    assert status_of(worker) == "På høring"
    worker.press(worker.button("Avslutt høringen"))
    summary = worker.error_summary()
    assert summary == [(NOT_HEARD, "#transition-end_hearing-form")], summary
    assert NOT_HEARD in main_text(worker)
    assert status_of(worker) == "På høring"

    # Each body answers; then the hearing ends and the same grant goes through.
    hearing = section(worker, "Høring")
    for body in BODIES:
        form = hearing.get_by_role("region", name=body, exact=True).locator("form")
        form.get_by_label("Nei", exact=True).check()
        worker.press(form.get_by_role("button", name=f"Registrer svaret fra {body}"))
        assert f"Svaret fra {body} er registrert." in main_text(worker)
    worker.press(worker.button("Avslutt høringen"))
    assert status_of(worker) == "Under behandling"
    _grant(worker)
    assert "Vedtaket er fattet." in main_text(worker)
    assert status_of(worker) == "Vedtak fattet"
    assert Decision.objects.get(case=case).outcome == "granted"
    assert worker.checked.count(f"{seed_site}{staff_case}") >= 8, worker.checked
