"""The shipped skjenkebevilling service over HTTP: acting for an organisation, the people's
ages, the fee by alkoholforskriften § 6-2 computed on the server, attachments, receipt."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iktipet.accounts.parties import ActingParty
from iktipet.accounts.testing import sign_in_citizen
from iktipet.applications.models import Application
from iktipet.documents.pdfcheck import pdf_facts
from support.applications import KARI, OLA, publish, seed
from support.form_browser import PDF, PNG, form_fields, submit_page
from support.pages import text_of

TODAY = datetime.date(2026, 11, 27)  # Sofie Dahl-Test (born 2007-02-21) is 19 on this day
TESTGRILLEN = ActingParty("organisation", "310000019", "Testgrillen Restaurant AS")
PER = "11918249879"  # born 1982
SOFIE = "21820799965"  # born 2007-02-21
STEPS = ["venue", "people", "alcohol", "hours", "attachments", "confirm"]
FILES = {
    "firmaattest": PDF,
    "ownership": PDF,
    "skatteattest": PDF,
    "lease": PDF,
    "premises_drawing": PNG,
    "brukstillatelse": PDF,
    "knowledge_test_styrer": PDF,
    "knowledge_test_stedfortreder": PDF,
}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """The rules' ``today``: ages and dates must not change answer with the calendar."""
    from django.utils import timezone

    real = timezone.localdate
    monkeypatch.setattr(
        "django.utils.timezone.localdate",
        lambda value=None, timezone=None: TODAY if value is None else real(value, timezone),
    )


@pytest.fixture
def skjenke(db):
    from iktipet.core.demo_data import load_municipality

    load_municipality()
    return publish(seed("skjenkebevilling"))


@pytest.fixture
def applicant(client, kari):
    sign_in_citizen(client, KARI, acting_for=TESTGRILLEN)
    return client


def _start(client) -> Application:
    url = reverse("applications:start", args=["skjenkebevilling"])
    page = client.get(url)
    assert page.status_code == 200, page.content[:300]
    assert "Søker: Testgrillen Restaurant AS (org.nr. 310000019)" in text_of(page)
    token = re.search(rb'name="start_token" value="([^"]+)"', page.content).group(1).decode()
    client.post(url, {"start_token": token})
    return Application.objects.latest("created_at")


def _url(application, step_id):
    return reverse("applications:step", args=[application.pk, step_id])


def _errors(response) -> list[str]:
    page = response.content.decode()
    assert "ds-error-summary" in page, page[:2000]
    summary = page.split('id="error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a class="ds-link" href="#[^"]+">([^<]+)</a>', summary)


def _fill_venue(client, application):
    r = submit_page(
        client,
        _url(application, "venue"),
        {
            "application_kind": "new",
            "has_serving_licence": "yes",
            "venue_name": "Testgrillen",
            "venue_address-street": "Demogata 10",
            "venue_address-postnummer": "0655",
            "venue_address-poststed": "Oslo",
            "business_type": "restaurant",
            "concept": "Grill for familier.",
            "opening_hours": "11–23",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]


def _people(client, application, styrer=KARI, stedfortreder=PER):
    return submit_page(
        client,
        _url(application, "people"),
        {
            "styrer-name": "Styrer Testesen",
            "styrer-fnr": styrer,
            "stedfortreder-name": "Stedfortreder Testesen",
            "stedfortreder-fnr": stedfortreder,
            "people_declaration": "yes",
        },
    )


def _alcohol(client, application, litres: dict[str, str], extra: dict | None = None):
    """Choose the groups, then fill in the litres the choice revealed, then go on."""
    groups = [f"gruppe{n}" for n in sorted(litres)]
    r = submit_page(
        client,
        _url(application, "alcohol"),
        {"alcohol_groups": groups, "serving_areas": ["indoors"]},
    )
    assert r.status_code == 200  # the litres questions appeared: shown before going on
    data = {**form_fields(r.content), "indoor_area_m2": "80", **(extra or {})}
    data.update({f"litres_group{n}": value for n, value in litres.items()})
    r = client.post(_url(application, "alcohol"), {**data, "_action": "next"})
    assert r.status_code == 200  # the fee estimate appeared: read before going on
    estimate = r.content.decode()
    r = client.post(_url(application, "alcohol"), {**form_fields(r.content), "_action": "next"})
    assert r.status_code == 302, r.content.decode()[:3000]
    return estimate


def _hours(client, application):
    r = submit_page(
        client,
        _url(application, "hours"),
        {
            "hours_group12_from": "11:00",
            "hours_group12_to": "01:00",
            "hours_group3_from": "13:00",
            "hours_group3_to": "00:00",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]


def _attachments_and_confirm(client, application):
    files = {
        name: SimpleUploadedFile(
            f"{name}.{'png' if data is PNG else 'pdf'}",
            data,
            "image/png" if data is PNG else "application/pdf",
        )
        for name, data in FILES.items()
    }
    r = client.post(_url(application, "attachments"), {**files, "_action": "next"})
    assert r.status_code == 302, r.content.decode()[:3000]
    r = client.post(_url(application, "confirm"), {"confirmation": "yes", "_action": "next"})
    assert r.url == reverse("applications:summary", args=[application.pk])


def _to_summary(client, litres, extra=None) -> tuple[Application, str]:
    application = _start(client)
    _fill_venue(client, application)
    r = _people(client, application)
    assert r.status_code == 302, r.content.decode()[:3000]
    estimate = _alcohol(client, application, litres, extra)
    _hours(client, application)
    _attachments_and_confirm(client, application)
    return application, estimate


def _summary_fee(client, application) -> str:
    page = client.get(reverse("applications:summary", args=[application.pk])).content.decode()
    found = re.search(r'<p class="ds-paragraph app-fee" id="fee">([^<]+)</p>', page)
    assert found, page[:3000]
    return found.group(1).replace("\u00a0", " ")


def test_whole_skjenkebevilling_with_the_domain_fee(
    applicant, skjenke, django_capture_on_commit_callbacks
):
    application, estimate = _to_summary(applicant, {1: "10000", 2: "3000", 3: "200"})
    # 10 000 × 0,61 + 3 000 × 1,57 + 200 × 5,19 = 6 100 + 4 710 + 1 038 = 11 848 kr
    assert "gebyret 11\u00a0848 kr per år" in estimate
    assert _summary_fee(applicant, application) == "Du skal betale 11 848,00 kr."
    with django_capture_on_commit_callbacks(execute=True):
        r = applicant.post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "submitted", r.url
    assert application.fee_ore == 1_184_800
    assert (application.party_kind, application.party_identifier) == ("organisation", "310000019")
    assert application.attachments.count() == len(FILES)
    receipt = applicant.get(r.url).content.decode()
    assert "Testgrillen Restaurant AS" in receipt
    pdf = applicant.get(reverse("applications:receipt_pdf", args=[application.pk]))
    facts = pdf_facts(pdf.content)
    assert (facts.pdfa_part, facts.pdfa_conformance) == ("2", "B")
    assert facts.all_fonts_embedded, facts.fonts


@pytest.mark.parametrize(
    ("styrer", "stedfortreder", "message", "anchor"),
    [
        (SOFIE, PER, "Styreren må være minst 20 år.", "#f-styrer-name"),
        (PER, SOFIE, "Stedfortrederen må være minst 20 år.", "#f-stedfortreder-name"),
        (PER, PER, "Styrer og stedfortreder må være to forskjellige personer.", ""),
    ],
)
def test_styrer_and_stedfortreder_rules(applicant, skjenke, styrer, stedfortreder, message, anchor):
    application = _start(applicant)
    _fill_venue(applicant, application)
    r = _people(applicant, application, styrer, stedfortreder)
    assert r.status_code == 200
    assert _errors(r) == [message]
    if anchor:
        assert f'href="{anchor}"' in r.content.decode()
    application.refresh_from_db()
    assert application.current_step == "people"
    # Nor can the summary be reached around the step: submitting sends the person back.
    r = applicant.post(reverse("applications:submit", args=[application.pk]))
    assert r.url == f"{_url(application, 'people')}?fra=oppsummering"
    application.refresh_from_db()
    assert application.status == "draft"


def test_fee_is_computed_on_the_server_and_has_a_yearly_minimum(
    applicant, skjenke, django_capture_on_commit_callbacks
):
    # 1 000 l beer = 610 kr, below the yearly minimum of 6 400 kr. The POST also carries
    # litres for a group not chosen and made-up fee fields: none of it may count.
    tampered = {
        "litres_group3": "100000",
        "fee_kr": "1",
        "volume_fee_kr": "1",
        "fee_estimate": "1",
        "minimum_fee_kr": "0",
    }
    application, estimate = _to_summary(applicant, {1: "1000"}, tampered)
    assert "gebyret 6\u00a0400 kr per år" in estimate
    assert _summary_fee(applicant, application) == "Du skal betale 6 400,00 kr."
    application.refresh_from_db()
    assert application.answers.get("litres_group3") is None

    # Changing the volumes from the summary changes the fee.
    change = f"{_url(application, 'alcohol')}?fra=oppsummering"
    page = applicant.get(change)
    data = {**form_fields(page.content), "litres_group1": "20000", "_action": "next"}
    r = applicant.post(change, data)
    assert r.status_code == 302  # the estimate was on the page already
    assert r.url == reverse("applications:summary", args=[application.pk])
    assert _summary_fee(applicant, application) == "Du skal betale 12 200,00 kr."

    with django_capture_on_commit_callbacks(execute=True):
        applicant.post(
            reverse("applications:submit", args=[application.pk]),
            {"fee_ore": "100", "fee": "1"},
        )
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.fee_ore == 1_220_000  # 20 000 × 0,61 kr


def test_only_a_person_with_a_role_may_apply_for_the_organisation(client, skjenke, db):
    # Ola is only a board member (MEDL) of Dahl Eksempelbygg AS: not enough to apply.
    dahl = ActingParty("organisation", "310000027", "Dahl")
    sign_in_citizen(client, OLA, name=("Ola", "Nordmann-Test"), acting_for=dahl)
    r = client.get(reverse("applications:start", args=["skjenkebevilling"]))
    assert r.status_code == 302
    assert r.url.startswith(reverse("accounts:choose_party"))
    assert "tjeneste=skjenkebevilling" in r.url
    assert not Application.objects.exists()
