"""Fees in real browsers, as in the demo, axe on every page (issue 11, "Done when").

1. Per Dahl-Test applies for a skjenkebevilling for a single event (400 people: 880 kr),
   sees the fee's line on the summary, presses "Betal og send inn", approves at the
   testbank's hosted checkout, and lands on the receipt: submitted, with what was paid.
2. Testgrillen's ordinary skjenkebevilling (DOMAIN.md's 10 000 / 3 000 / 200 litres, sent
   as the demo sends it) is heard and granted by Sara Saksbehandler in the browser; the
   grant raises the 11 848 kr claim, which she sees on the case page. Kari Nordmann-Test,
   acting for Testgrillen, pays it from Min side with the testbank.
3. The worker captures both. Frida Finans (Næringsetaten, agency:finance) finds the event's
   payment in the day's reconciliation, refunds 200 kr of it with a reason, and the
   reconciliation shows the captures, the refund and the net.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from support.case_journeys import (
    SARA,
    another_person,  # noqa: F401  (fixture)
    checks_of,
    fact,
    hearing_form,
    main_text,
    section,
    staff_login,
    status_of,
)
from support.seed_journeys import (
    KARI,
    PER,
    TESTGRILLEN,
    Journey,
    pdf_file,
    seed_site,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.browser]

FRIDA = "Frida Finans"
EVENT = "Skjenkebevilling for en enkelt anledning"


@pytest.fixture
def paying_site(seed_site, settings):  # noqa: F811
    settings.PAYMENT_PROVIDERS = ["testbank"]
    settings.TESTBANK_WEBHOOK_DELAY_SECONDS = 0  # the worker delivers them when it runs
    return seed_site


def _run_worker():
    """The task worker, as `iktipet demo` runs it: captures, the testbank's webhooks."""
    from support.payments import run_worker

    run_worker()


def _apply_and_pay_for_the_event(person: Journey) -> None:
    person.start_service("skjenkebevilling-enkelt-anledning", PER, "substantial", EVENT)
    person.expect_heading(EVENT)
    person.begin()

    person.expect_heading("Arrangementet")
    person.fill("Navn på arrangementet", "Sommerkonsert i Demoparken")
    person.choose("Hva slags arrangement er det?", "Konsert")
    person.fill("Beskriv arrangementet", "Utendørs konsert med lokale band, åpen for alle.")
    person.fill("Hvor mange personer venter dere? (personer)", "400")
    person.next()

    person.expect_heading("Tid og sted")
    first = dt.date.today() + dt.timedelta(days=30)
    person.fill("Første dag", first.isoformat())
    person.fill("Siste dag", (first + dt.timedelta(days=1)).isoformat())
    person.fill("Skjenking fra kl.", "14:00")
    person.fill("Skjenking til kl.", "23:00")
    place = person.within("Adressen til stedet")
    place.get_by_label("Søk etter adressen").fill("Demogata 10")
    person.press(place.get_by_role("button", name="Søk", exact=True))
    place = person.within("Adressen til stedet")
    person.press(place.get_by_role("button", name="Velg Demogata 10, 0655 OSLO"))
    person.fill("Beskriv stedet og skjenkeområdet", "Inngjerdet område foran scenen.")
    person.choose("Hvor skal dere skjenke?", "Utendørs")
    person.next()

    person.expect_heading("Skjenkingen")
    for option in ("Gruppe 1", "Gruppe 2"):
        person.within("Hvilke alkoholgrupper vil dere skjenke?").get_by_label(
            option, exact=False
        ).check()
    responsible = person.within("Ansvarlig for skjenkingen")
    responsible.get_by_label("Fullt navn").fill("Per Dahl-Test")
    responsible.get_by_label("Fødselsnummer (11 siffer)").fill(PER)
    person.next()

    person.expect_heading("Vedlegg")
    person.upload(
        "Tillatelse fra politiet, eller bekreftelse på at dere har søkt", pdf_file("politi.pdf")
    )
    person.upload("Samtykke fra grunneieren", pdf_file("grunneier.pdf"))
    person.upload("Tegning av skjenkeområdet", pdf_file("tegning.pdf"))
    person.next()

    person.expect_heading("Bekreft")
    person.page.get_by_label("Jeg bekrefter at opplysningene er riktige", exact=False).check()
    person.next()

    # The summary: the fee, its line (the tier for 301–500 people), paid before sending.
    person.expect_heading("Se over og send inn")
    fee = person.page.locator("#fee").inner_text().replace("\u00a0", " ")
    assert fee == "Du skal betale 880,00 kr.", fee
    lines = person.page.get_by_role("table", name="Hva gebyret består av").inner_text()
    assert "høyst 500 personer" in lines and "880,00" in lines, lines
    assert person.button("Send inn søknaden").count() == 0
    person.press(person.button("Betal og send inn"))

    # The testbank's hosted checkout, clearly a test; the tester approves.
    person.expect_heading("Testbanken")
    assert "TEST" in main_text(person) and "880,00 kr" in main_text(person)
    person.press(person.button("Godkjenn betalingen"))

    # Back at the platform: the return page asked the testbank, and the payment submitted it.
    person.expect_heading("Søknaden er sendt")
    receipt = main_text(person)
    assert "880,00 kr, betalt" in receipt, receipt
    assert "Dette har du betalt" in receipt and "høyst 500 personer" in receipt, receipt
    assert fact(person, "Betalingsreferanse").startswith("B-")


def _skjenkebevilling_from_testgrillen():
    """Testgrillen's application with DOMAIN.md's litres, filled in and sent through the
    form engine as the demo does it (the browser journey of it is test_seed_skjenkebevilling)."""
    from iktipet.cases import demo_data, demo_support

    draft = demo_data._skjenke_draft(
        "e2e-skjenkebevilling", "Testgrillen", "Demogata 10", {1: 10000, 2: 3000, 3: 200}
    )
    return demo_support.submit(draft)


def _grant(worker: Journey, case) -> None:
    worker.goto(f"/saksbehandling/saker/{case.pk}/")
    worker.press(worker.button("Start behandlingen"))
    worker.press(worker.button("Send på høring"))
    for body in ("Politiet", "Sosialtjenesten", "Skatteetaten"):
        form = hearing_form(worker, body)
        form.get_by_label("Nei", exact=True).check()
        worker.press(form.get_by_role("button", name=f"Registrer svaret fra {body}"))
    worker.press(worker.button("Avslutt høringen"))
    worker.page.get_by_role("group", name="Utfall").get_by_label("Innvilget", exact=True).check()
    worker.fill("Begrunnelse (forvaltningsloven § 24)", "Vilkårene i alkoholloven er oppfylt.")
    worker.fill("Hjemmel", "Alkoholloven §§ 1-7 og 4-2; alkoholforskriften § 6-2.")
    worker.press(worker.button("Fatt vedtaket"))
    assert "Vedtaket er fattet." in main_text(worker)
    assert status_of(worker) == "Vedtak fattet"


def test_fees_paid_claimed_refunded_and_reconciled(
    page,
    paying_site,
    axe_check,
    another_person,  # noqa: F811
):
    from iktipet.cases.models import Case
    from iktipet.payments.models import PaymentOrder

    # -- 1. Per pays for the single-event licence with the application.
    per = Journey(page, paying_site, axe_check)
    _apply_and_pay_for_the_event(per)
    event_case = Case.objects.get(service_id="skjenkebevilling-enkelt-anledning")
    event_order = PaymentOrder.objects.get(payable_kind="application")
    assert event_order.state == "authorized" and event_order.amount_ore == 88_000

    # -- 2. Sara grants Testgrillen's licence; the grant raises the yearly fee's claim.
    case = _skjenkebevilling_from_testgrillen()
    worker = another_person()
    staff_login(worker, SARA, f"/saksbehandling/saker/{case.pk}/")
    _grant(worker, case)
    payments = section(worker, "Betalinger og bookinger").inner_text().replace("\u00a0", " ")
    assert "11 848,00 kr" in payments and "Til betaling" in payments, payments
    claim = PaymentOrder.objects.get(payable_kind="case")
    assert claim.amount_ore == 1_184_800 and claim.due_date is not None
    # The event's case shows the fee paid with the application.
    worker.goto(f"/saksbehandling/saker/{event_case.pk}/")
    assert "Betalt med søknaden" in section(worker, "Betalinger og bookinger").inner_text()

    # -- Kari, acting for Testgrillen, pays the claim from Min side.
    kari = another_person()
    kari.goto("/min-side/")
    kari.testid_login(KARI, "substantial")
    kari.goto("/velg-aktor/?next=/min-side/")
    kari.page.get_by_label(f"Testgrillen Restaurant AS (org.nr. {TESTGRILLEN})").check()
    kari.press(kari.button("Bekreft"))
    kari.expect_heading("Min side")
    claims = section(kari, "Betalinger og krav")
    to_pay = claims.get_by_role("link", name="Betal 11\u00a0848,00\u00a0kr", exact=False)
    assert to_pay.count() == 1, claims.inner_text()
    kari.press(to_pay)
    lines = main_text(kari)
    assert "Gruppe 3 (brennevin): 200 liter à 5,19 kr" in lines, lines
    kari.press(kari.button("Betal 11\u00a0848,00\u00a0kr"))
    kari.expect_heading("Testbanken")
    kari.press(kari.button("Godkjenn betalingen"))
    claim.refresh_from_db()
    assert claim.state == "authorized", claim.state
    assert "claim_paid" in set(case.events.values_list("kind", flat=True))

    # -- 3. The worker captures both payments.
    _run_worker()
    event_order.refresh_from_db()
    claim.refresh_from_db()
    assert (event_order.state, claim.state) == ("captured", "captured")
    kari.goto(f"/betaling/{claim.pk}/")
    assert "Se kvitteringen" in main_text(kari)

    # -- Frida (finance) finds the event's payment in today's reconciliation and refunds part.
    frida = another_person()
    today = timezone.localtime(event_order.paid_at).date()  # the day in Oslo
    report = f"/saksbehandling/betaling/avstemming/?virksomhet=naeringsetaten&dato={today}"
    staff_login(frida, FRIDA, "/saksbehandling/betaling/avstemming/")
    frida.goto(report)
    shown = main_text(frida)
    assert event_order.reference in shown and claim.reference in shown, shown
    frida.press(frida.page.get_by_role("link", name=event_order.reference, exact=True).first)
    frida.fill("Beløp i kroner", "200")
    frida.fill("Begrunnelse", "Arrangementet ble forkortet til én dag.")
    frida.press(frida.button("Refunder"))
    event_order.refresh_from_db()
    assert event_order.refunded_ore == 20_000, event_order.refunded_ore
    assert "Refundert 200,00 kr." in main_text(frida)

    # The reconciliation shows the two captures, the refund and the net.
    frida.goto(report)
    totals = {
        name: frida.page.locator(f"#total-{name}").inner_text().replace("\u00a0", " ")
        for name in ("captured", "refunded", "net")
    }
    assert totals["captured"] == "12 728,00 kr", totals  # 880 + 11 848
    assert totals["refunded"].endswith("200,00 kr"), totals
    assert totals["net"] == "12 528,00 kr", totals
    movements = frida.page.get_by_role("table", name="Bevegelser denne dagen").inner_text()
    assert movements.count("Refusjon") == 1 and movements.count("Betaling") == 2, movements

    # Every page each of them loaded was checked by axe and for CSP violations.
    assert checks_of(per, f"/soknad/{event_case.application_id}/kvittering/") == 1
    assert len(per.checked) >= 10 and len(kari.checked) >= 5 and len(frida.checked) >= 4
