"""Demo: cases in the case workers' inboxes and on the citizens' Min side.

ALL OF THIS IS SYNTHETIC TEST DATA. The persons, organisations, properties and
kindergartens are the made-up ones shipped in ``demo/*.json`` (Tenor-style synthetic
fødselsnumre, organisasjonsnumre starting with 3); the texts and attachments are invented.

Every case is made as a person would make it: the draft through the form engine
(``applications.services.prepare_step`` / ``save_step`` / ``submit_application``, with the
register prefill, the rules and the uploads of the real journey), then the history through
``cases.services`` by the case worker. The case workers are TestID's staff users (Sara,
Ulla), created as the staff login creates them (``accounts.services.staff_for_claims`` with
the claims TestID issues), so logging in as Sara lands on the user the cases are assigned
to. When TestID is not the staff identity provider, a clearly synthetic
``demo-saksbehandler`` acts instead and the cases are left unassigned.

Idempotent: each scenario's draft carries a fixed start token; a scenario whose application
is already submitted is left alone. Each scenario runs in its own savepoint: one that fails
(a service definition changed so an answer no longer validates, say) is rolled back, logged
as a warning, and the demo starts without it. With ``settings.DEMO_CASES_STRICT`` the error
is raised instead (the tests); ``settings.DEMO_CASES = False`` skips the loader.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from iktipet.cases.demo_support import (
    BARNEHAGE_OFFER,
    FALLBACK_STAFF,
    JONAS,
    KARI,
    LEAH,
    NABOVARSEL,
    PER,
    SKJENKE_DECIDED,
    SKJENKE_EVENT_PAID,
    SKJENKE_UNDER_REVIEW,
    TESTGRILLEN,
    Draft,
    Staff,
    acting_for,
    citizen,
    demo_staff,
    existing_case,
    for_staff,
    myself,
    paid_submit,
    pdf_upload,
    published_version,
    submit,
    take,
)
from iktipet.core.demo import loader, login_hint

logger = logging.getLogger(__name__)


def _skjenke_answers(venue: str, street: str, litres: dict[int, int]) -> dict[str, Any]:
    groups = sorted(litres)
    hours: dict[str, Any] = {}
    if 1 in litres or 2 in litres:
        hours.update(hours_group12_from="11:00", hours_group12_to="01:00")
    if 3 in litres:
        hours.update(hours_group3_from="13:00", hours_group3_to="00:00")
    return {
        "venue": {
            "application_kind": "new",
            "has_serving_licence": "yes",
            "venue_name": venue,
            "venue_address-street": street,
            "venue_address-postnummer": "0655",
            "venue_address-poststed": "Oslo",
            "business_type": "restaurant",
            "concept": "Grillrestaurant for familier og nabolaget (syntetiske demodata).",
            "opening_hours": "Mandag–søndag 11–01",
        },
        "people": {
            "styrer-name": "Kari Nordmann-Test",
            "styrer-fnr": KARI,
            "stedfortreder-name": "Per Dahl-Test",
            "stedfortreder-fnr": PER,
            "people_declaration": "yes",
        },
        "alcohol": {
            "alcohol_groups": [f"gruppe{n}" for n in groups],
            **{f"litres_group{n}": str(value) for n, value in litres.items()},
            "serving_areas": ["indoors"],
            "indoor_area_m2": "80",
        },
        "hours": hours,
        "confirm": {"confirmation": "yes"},
    }


SKJENKE_FILES = {
    "firmaattest": "Firmaattest",
    "ownership": "Eieroversikt",
    "skatteattest": "Skatteattest",
    "lease": "Leieavtale",
    "premises_drawing": "Plantegning",
    "brukstillatelse": "Ferdigattest",
    "knowledge_test_styrer": "Kunnskapsprove styrer",
    "knowledge_test_stedfortreder": "Kunnskapsprove stedfortreder",
}


def _skjenke_draft(key: str, venue: str, street: str, litres: dict[int, int]) -> Draft:
    user = citizen(KARI)
    version = published_version("skjenkebevilling")
    party = acting_for(user, version.definition_model, TESTGRILLEN)
    files = {
        "attachments": {
            name: pdf_upload(name.replace("_", "-"), f"{title} - {venue}")
            for name, title in SKJENKE_FILES.items()
        }
    }
    return Draft(key, user, party, version, _skjenke_answers(venue, street, litres), files)


def skjenke_under_review(staff: Staff) -> Any:
    """Kari applies for Testgrillen; Sara asks for a signed lease, Kari answers with it."""
    from iktipet.cases import selectors, services

    draft = _skjenke_draft(SKJENKE_UNDER_REVIEW, "Testgrillen", "Demogata 10", {1: 10000, 2: 3000})
    found = existing_case(draft.key, draft.user)
    if found is not None:
        return found
    case = submit(draft)
    worker = take(staff, case)
    case = services.transition_case(
        for_staff(worker, case, "start_review"), "start_review", user=worker
    )
    services.request_information(
        for_staff(worker, case, "request_information"),
        user=worker,
        body=(
            "Hei! Leieavtalen dere lastet opp er ikke signert av utleier. Kan dere sende oss "
            "en signert leieavtale for lokalet i Demogata 10?"
        ),
    )
    own = selectors.case_for_citizen(draft.user, draft.party, case.pk)
    services.post_citizen_message(
        own,
        user=draft.user,
        body="Her er leieavtalen, signert av begge parter.",
        files=[pdf_upload("leieavtale-signert", "Leieavtale, signert")],
    )
    return case


def skjenke_decided(staff: Staff) -> Any:
    """An earlier application of Testgrillen: heard without remarks, granted."""
    from iktipet.cases import services

    # DOMAIN.md's example: 10 000 l beer + 3 000 l wine + 200 l spirits: a claim of 11 848 kr.
    litres = {1: 10000, 2: 3000, 3: 200}
    draft = _skjenke_draft(SKJENKE_DECIDED, "Testgrillen Bakgården", "Demogata 12", litres)
    found = existing_case(draft.key, draft.user)
    if found is not None:
        return found
    case = submit(draft)
    worker = take(staff, case)
    case = services.transition_case(
        for_staff(worker, case, "start_review"), "start_review", user=worker
    )
    case = services.send_to_hearing(for_staff(worker, case, "hearing"), user=worker)
    for hearing in case.hearings.order_by("pk"):
        services.record_hearing_response(
            hearing, user=worker, has_remarks=False, response="Ingen merknader."
        )
    case = services.transition_case(
        for_staff(worker, case, "end_hearing"), "end_hearing", user=worker
    )
    services.decide_case(
        for_staff(worker, case, "decide"),
        user=worker,
        outcome="granted",
        justification=(
            "Testgrillen Restaurant AS får skjenkebevilling for alkoholholdig drikk i gruppe 1, "
            "2 og 3 for Testgrillen Bakgården, Demogata 12, innendørs, med skjenketid "
            "kl. 11.00–01.00 (brennevin kl. 13.00–00.00). Bevillingsgebyret for første år er "
            "11 848 kroner etter forventet omsetning. "
            "Styrer og stedfortreder er over 20 år og har bestått kunnskapsprøven. Politiet, "
            "sosialtjenesten og skatteetaten har ingen merknader til søknaden, og vi har ikke "
            "funnet forhold ved virksomheten eller stedet som tilsier avslag."
        ),
        legal_basis=(
            "Alkoholloven §§ 1-4b, 1-7, 1-7a, 1-7b, 1-7c og 4-4; alkoholforskriften kapittel 4 "
            "og § 6-2 (gebyr)."
        ),
    )
    return case


def skjenke_event_paid(staff: Staff) -> Any:
    """Per applies for a licence at a summer concert for 400 people (880 kr), pays with the
    testbank, and the payment submits the application: a case in Sara's inbox."""
    user = citizen(PER)
    found = existing_case(SKJENKE_EVENT_PAID, user)
    if found is not None:
        return found
    first_day = timezone.localdate() + dt.timedelta(days=30)
    answers = {
        "event": {
            "event_name": "Sommerkonsert i Demoparken",
            "event_kind": "concert",
            "event_description": "Utendørs konsert, åpen for alle (syntetiske demodata).",
            "participants": "400",
        },
        "time_and_place": {
            "first_day": first_day.isoformat(),
            "last_day": (first_day + dt.timedelta(days=1)).isoformat(),
            "serving_from": "14:00",
            "serving_until": "23:00",
            "venue_address-street": "Demoparken 1",
            "venue_address-postnummer": "0655",
            "venue_address-poststed": "Oslo",
            "place_description": "Inngjerdet område ved scenen i Demoparken.",
            "serving_area": "outdoors",
        },
        "serving": {
            "alcohol_groups": ["gruppe1", "gruppe2"],
            "responsible-name": "Per Dahl-Test",
            "responsible-fnr": PER,
        },
        "confirm": {"confirmation": "yes"},
    }
    files = {
        "attachments": {
            "police_permit": pdf_upload("politiets-tillatelse", "Soknad til politiet"),
            "landowner_consent": pdf_upload("grunneier", "Samtykke fra grunneier"),
            "area_drawing": pdf_upload("skjenkeareal", "Tegning av skjenkeomradet"),
        }
    }
    version = published_version("skjenkebevilling-enkelt-anledning")
    case = paid_submit(Draft(SKJENKE_EVENT_PAID, user, myself(user), version, answers, files))
    take(staff, case)
    return case


def _barnehage_start(today: dt.date) -> dt.date:
    """A Monday in September next year: Leah (born September 2026) has the right to a place
    from the September after she turns one; in the main intake, within the form's two years.
    (Any warning the form shows for the date is read and accepted, as a parent would.)"""
    day = dt.date(today.year + 1, 9, 1)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def barnehage_offer(staff: Staff) -> Any:
    """Jonas applies for Leah; Ulla offers a place in the first-choice kindergarten."""
    from iktipet.cases import services

    user = citizen(JONAS)
    found = existing_case(BARNEHAGE_OFFER, user)
    if found is not None:
        return found
    start = _barnehage_start(timezone.localdate())
    ranked = ["bhg-001", "bhg-002"]
    answers = {
        "child": {"child": LEAH},
        "kindergartens": {
            **{f"kindergartens-{rank}": value for rank, value in enumerate(ranked, start=1)},
            "start_date": start.isoformat(),
            "hours": "full",
        },
        "priority": {"priority_group": "none"},
        "confirm": {"confirmation": "yes"},
    }
    draft = Draft(BARNEHAGE_OFFER, user, myself(user), published_version("barnehageplass"), answers)
    case = submit(draft)
    worker = take(staff, case)
    services.make_offer(
        for_staff(worker, case, "offer"),
        user=worker,
        kindergarten_id=case.application.answers["kindergartens"][0],
        start_date=dt.date.fromisoformat(case.application.answers["start_date"]),
    )
    return case


def nabovarsel(staff: Staff) -> Any:
    """Kari notifies the neighbours of 0301-901/12 about an extension; the submit sends the
    notices (the nabovarsel app's hook), the neighbours as the property register lists them."""
    user = citizen(KARI)
    found = existing_case(NABOVARSEL, user)
    if found is not None:
        return found
    answers = {
        "precheck": {"project_kind": "other"},
        "property": {
            "byggested-kommunenummer": "0301",
            "byggested-gnr": "901",
            "byggested-bnr": "12",
            "tiltakshaver_kind": "person",
        },
        "project": {
            "tiltakstyper": ["tilbygg"],
            "description": "Tilbygg på 12 m² mot sør, én etasje (syntetiske demodata).",
            "plan": "Reguleringsplan S-4321",
            "needs_dispensation": "no",
        },
        "confirm": {"confirmation": "yes"},
    }
    files = {
        "attachments": {
            "situasjonskart": pdf_upload("situasjonskart", "Situasjonskart Testveien 12"),
            "drawings": pdf_upload("tegninger", "Plan, snitt og fasade - tilbygg"),
        }
    }
    version = published_version("nabovarsel")
    return submit(Draft(NABOVARSEL, user, myself(user), version, answers, files))


SCENARIOS: tuple[tuple[str, Callable[[Staff], Any]], ...] = (
    (SKJENKE_DECIDED, skjenke_decided),
    (SKJENKE_EVENT_PAID, skjenke_event_paid),
    (SKJENKE_UNDER_REVIEW, skjenke_under_review),
    (BARNEHAGE_OFFER, barnehage_offer),
    (NABOVARSEL, nabovarsel),
)


def _hints(staff: Staff) -> list[str]:
    hints = [
        f"{'Kari Nordmann-Test':<24} has a nabovarsel out, and (acting for Testgrillen "
        "Restaurant AS) a skjenkebevilling under review and one granted, with its fee of "
        "11 848 kr to pay on Min side",
        f"{'Per Dahl-Test':<24} has paid for and sent a skjenkebevilling for a single event",
        f"{'Jonas Haugen-Test':<24} has a kindergarten offer for Leah to answer",
        f"{'Nora Lie-Test':<24} has one nabovarsel from Kari to answer, for both her "
        "properties (Fatima Ali-Test has one too)",
    ]
    if staff.assign:
        hints.append(
            f"{'Sara Saksbehandler':<24} has the two skjenkebevilling cases; Ulla Utdanning the "
            "barnehage case; Pål Plan sees the nabovarsel"
        )
    else:
        hints.append(f"{FALLBACK_STAFF:<24} (no login) handled the demo cases; none is assigned")
    return hints


def _fail(key: str, exc: BaseException) -> None:
    if settings.DEMO_CASES_STRICT:
        raise exc
    logger.warning(
        "demo case %r was not loaded: %s", key, exc, exc_info=exc, extra={"scenario": key}
    )


@loader(order=50)
def load_cases() -> None:
    """After the agencies (0), TestID (5) and the published services (20)."""
    if not settings.DEMO_CASES:
        return
    with translation.override("nb"):
        try:
            with transaction.atomic():
                staff = demo_staff()
        except Exception as exc:
            _fail("staff", exc)
            return
        loaded = 0
        for key, scenario in SCENARIOS:
            try:
                with transaction.atomic():  # a failed scenario leaves nothing behind
                    scenario(staff)
                loaded += 1
            except Exception as exc:
                _fail(key, exc)
        if loaded:
            for hint in _hints(staff):
                login_hint(hint)
