"""The shipped nabovarsel service end to end: pre-check stop, property prefill, neighbours
from the property register, a repeating group without JavaScript, uploads, receipt PDF."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iktipet.applications.engine.names import count_input, row_input
from iktipet.applications.models import Application, Attachment
from iktipet.documents.pdfcheck import pdf_facts
from support.applications import publish, seed
from support.form_browser import PDF, PNG, form_fields, submit_page


@pytest.fixture
def nabovarsel(db):
    return publish(seed("nabovarsel"))


def _start(client) -> Application:
    url = reverse("applications:start", args=["nabovarsel"])
    page = client.get(url)
    token = re.search(rb'name="start_token" value="([^"]+)"', page.content).group(1).decode()
    client.post(url, {"start_token": token})
    return Application.objects.latest("created_at")


def _url(application, step_id):
    return reverse("applications:step", args=[application.pk, step_id])


GARAGE_EXEMPT = {
    "project_kind": "garage",
    "garage_built_regulated": "yes",
    "garage_area_m2": "30",
    "garage_one_storey": "yes",
    "garage_ridge_m": "3,5",
    "garage_eaves_m": "2,5",
    "garage_distance_m": "2",
    "garage_over_pipes": "no",
    "garage_near_sea": "no",
    "garage_near_railway": "no",
}


def test_precheck_stops_with_a_clear_answer(kari_client, nabovarsel):
    application = _start(kari_client)
    response = kari_client.post(_url(application, "precheck"), {**GARAGE_EXEMPT, "_action": "next"})
    assert response.status_code == 302
    assert response.url == reverse("applications:stopped", args=[application.pk])
    page = kari_client.get(response.url).content.decode()
    assert "Du trenger ikke søke" in page
    # The journey ended: submitting is refused and leads back to the stop page.
    submit = kari_client.post(reverse("applications:submit", args=[application.pk]))
    assert submit.url == reverse("applications:stopped", args=[application.pk])


def test_whole_nabovarsel(kari_client, nabovarsel, django_capture_on_commit_callbacks):
    application = _start(kari_client)
    r = kari_client.post(
        _url(application, "precheck"), {"project_kind": "other", "_action": "next"}
    )
    assert r.url == _url(application, "property")

    # The property: typing the matrikkel number fills the address from the property register.
    r = submit_page(
        kari_client,
        _url(application, "property"),
        {
            "byggested-kommunenummer": "0301",
            "byggested-gnr": "901",
            "byggested-bnr": "12",
            "tiltakshaver_kind": "person",
        },
    )
    assert r.status_code == 200  # the person field appeared: shown before going on
    r = kari_client.post(
        _url(application, "property"), {**form_fields(r.content), "_action": "next"}
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    application.refresh_from_db()
    assert application.answers["byggested_address"]["street"] == "Testveien 12"
    assert application.answers["tiltakshaver_person"]["fnr"] == "17819049912"

    # Neighbours come from the register, one row per owner; add and remove rows without JS.
    page = kari_client.get(_url(application, "neighbours"))
    fields = form_fields(page.content)
    rows = int(fields[count_input("neighbours")][0])
    assert rows >= 2
    assert fields[row_input("neighbours", 0, "name")][0]
    r = kari_client.post(
        _url(application, "neighbours"), {**fields, "_action": "add-row:neighbours"}
    )
    assert r.status_code == 200
    assert form_fields(r.content)[count_input("neighbours")] == [str(rows + 1)]
    r = kari_client.post(
        _url(application, "neighbours"),
        {**form_fields(r.content), "_action": f"remove-row:neighbours:{rows}"},
    )
    assert form_fields(r.content)[count_input("neighbours")] == [str(rows)]
    r = kari_client.post(
        _url(application, "neighbours"), {**form_fields(r.content), "_action": "next"}
    )
    assert r.status_code == 302, r.content.decode()[:3000]

    r = submit_page(
        kari_client,
        _url(application, "project"),
        {
            "tiltakstyper": ["tilbygg"],
            "description": "Tilbygg på 12 m².",
            "needs_dispensation": "no",
        },
    )
    assert r.status_code == 302

    # Attachments: checked by content, kept privately, downloadable by the applicant only.
    r = kari_client.post(
        _url(application, "attachments"),
        {
            "situasjonskart": SimpleUploadedFile("kart.pdf", PDF, "application/pdf"),
            "drawings": SimpleUploadedFile("fasade.png", PNG, "image/png"),
            "_action": "next",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    assert Attachment.objects.filter(application=application).count() == 2

    r = kari_client.post(_url(application, "confirm"), {"confirmation": "yes", "_action": "next"})
    assert r.url == reverse("applications:summary", args=[application.pk])
    summary = kari_client.get(r.url).content.decode()
    assert "Testveien 12" in summary
    assert "178190 *****" in summary and "17819049912" not in summary
    with django_capture_on_commit_callbacks(execute=True):
        r = kari_client.post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "submitted", r.url

    pdf = kari_client.get(reverse("applications:receipt_pdf", args=[application.pk]))
    assert pdf.status_code == 200
    facts = pdf_facts(pdf.content)
    assert (facts.pdfa_part, facts.pdfa_conformance) == ("2", "B")
    assert facts.all_fonts_embedded, facts.fonts
