"""The journey over HTTP: start, steps, summary, submit, receipt — and who may see what."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from iktipet.accounts.testing import sign_in_citizen
from iktipet.applications.models import Application, Received
from support.applications import KARI, OLA, form_service, publish, text

STEPS = [
    {
        "id": "om",
        "title": text("Om søknaden"),
        "fields": [
            {"id": "navn", "type": "text", "label": text("Navn på arrangementet")},
            {"id": "antall", "type": "integer", "label": text("Antall dager"), "min": 1, "max": 30},
            {"id": "mer", "type": "yes_no", "label": text("Vil du fortelle mer?")},
            {
                "id": "detaljer",
                "type": "long_text",
                "label": text("Fortell mer"),
                "visible_if": "mer == true",
                "required_if": "mer == true",
            },
        ],
    },
    {
        "id": "bekreft",
        "title": text("Bekreft"),
        "fields": [
            {"id": "ok", "type": "declaration", "label": text("Jeg bekrefter at alt er riktig.")}
        ],
    },
]


@pytest.fixture
def version(db):
    return publish(
        form_service(
            STEPS,
            # Claimed after the decision: this journey submits without a payment step.
            fee={
                "expression": "antall * 250",
                "when": "decision",
                "description": text("250 kroner per dag."),
            },
        )
    )


def start(client, service_id="testskjema") -> Application:
    url = reverse("applications:start", args=[service_id])
    page = client.get(url)
    assert page.status_code == 200, page.content[:500]
    token = re.search(rb'name="start_token" value="([^"]+)"', page.content).group(1).decode()
    response = client.post(url, {"start_token": token})
    assert response.status_code == 302
    return Application.objects.latest("created_at")


def step_url(application, step_id):
    return reverse("applications:step", args=[application.pk, step_id])


def fill(client, application, tampered: dict | None = None):
    data = {"navn": "Sommerfest", "antall": "3", "mer": "no", "_action": "next"}
    data.update(tampered or {})
    response = client.post(step_url(application, "om"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(step_url(application, "bekreft"), {"ok": "yes", "_action": "next"})
    assert response.status_code == 302
    assert response.url == reverse("applications:summary", args=[application.pk])


def test_start_needs_login(client, version):
    response = client.get(reverse("applications:start", args=["testskjema"]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_whole_journey_to_receipt(kari_client, version, django_capture_on_commit_callbacks):
    application = start(kari_client)
    assert application.current_step == "om"
    assert kari_client.get(step_url(application, "om")).status_code == 200
    fill(kari_client, application)
    summary = kari_client.get(reverse("applications:summary", args=[application.pk]))
    assert summary.status_code == 200
    assert "Sommerfest" in summary.content.decode()
    assert "750,00" in summary.content.decode()  # 3 days × 250 kr
    with django_capture_on_commit_callbacks(execute=True):
        response = kari_client.post(reverse("applications:submit", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "submitted"
    assert re.fullmatch(r"IKT-\d{4}-[2-9A-HJKMNP-TV-Z]{6}", application.reference)
    assert application.fee_ore == 75000
    assert Received.objects.filter(application=application).count() == 1
    receipt = kari_client.get(response.url)
    assert application.reference in receipt.content.decode()


def test_errors_are_listed_and_linked_and_typed_values_kept(kari_client, version):
    application = start(kari_client)
    response = kari_client.post(
        step_url(application, "om"), {"navn": "Fest", "antall": "mange", "_action": "next"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ds-error-summary" in page
    assert 'href="#f-antall"' in page
    assert 'href="#f-mer-yes"' in page
    assert 'aria-describedby="f-antall-error"' in page
    assert 'value="mange"' in page  # what was typed stays
    assert 'value="Fest"' in page
    application.refresh_from_db()
    assert application.answers["navn"] == "Fest"  # valid answers are saved anyway


def test_a_revealed_question_is_shown_before_going_on(kari_client, version):
    application = start(kari_client)
    shown = ["navn", "antall", "mer"]
    response = kari_client.post(
        step_url(application, "om"),
        {"navn": "Fest", "antall": "2", "mer": "yes", "_shown": shown, "_action": "next"},
    )
    assert response.status_code == 200
    assert 'name="detaljer"' in response.content.decode()
    assert "ds-error-summary" not in response.content.decode()


def test_tampered_fee_and_hidden_field_change_nothing(kari_client, version):
    application = start(kari_client)
    fill(kari_client, application, {"detaljer": "skjult tekst", "fee_ore": "1", "fee": "1"})
    kari_client.post(reverse("applications:submit", args=[application.pk]), {"fee_ore": "1"})
    application.refresh_from_db()
    assert application.fee_ore == 75000
    assert "detaljer" not in application.answers or not application.answers["detaljer"]


def test_double_submit_gives_one_application(kari_client, version):
    application = start(kari_client)
    fill(kari_client, application)
    url = reverse("applications:submit", args=[application.pk])
    first = kari_client.post(url)
    second = kari_client.post(url)
    assert first.url == second.url
    assert Application.objects.filter(status="submitted").count() == 1
    assert Received.objects.count() == 1


def test_the_same_start_form_twice_gives_one_draft(kari_client, version):
    url = reverse("applications:start", args=["testskjema"])
    page = kari_client.get(url)
    token = re.search(rb'name="start_token" value="([^"]+)"', page.content).group(1).decode()
    kari_client.post(url, {"start_token": token})
    kari_client.post(url, {"start_token": token})
    assert Application.objects.count() == 1


def test_another_person_gets_404(client, kari, ola, version):
    sign_in_citizen(client, KARI)
    application = start(client)
    fill(client, application)
    sign_in_citizen(client, OLA, name=("Ola", "Nordmann-Test"))
    for name in ("resume", "summary", "receipt", "receipt_pdf"):
        assert client.get(reverse(f"applications:{name}", args=[application.pk])).status_code == 404
    assert client.get(step_url(application, "om")).status_code == 404
    assert client.post(reverse("applications:submit", args=[application.pk])).status_code == 404
    assert client.post(reverse("applications:delete", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.status == "draft"


def test_back_keeps_answers(kari_client, version):
    application = start(kari_client)
    fill(kari_client, application)
    response = kari_client.post(step_url(application, "bekreft"), {"_action": "back"})
    assert response.url == step_url(application, "om")
    page = kari_client.get(response.url).content.decode()
    assert 'value="Sommerfest"' in page


def test_save_and_continue_later_lists_the_draft_on_min_side(kari_client, version):
    application = start(kari_client)
    response = kari_client.post(
        step_url(application, "om"), {"navn": "Halvferdig", "_action": "save"}
    )
    assert response.status_code == 302
    page = kari_client.get(reverse("accounts:my_page")).content.decode()
    assert reverse("applications:resume", args=[application.pk]) in page
    assert "Testskjema" in page


def test_step_page_query_count(kari_client, version, django_assert_max_num_queries):
    application = start(kari_client)
    url = step_url(application, "om")
    kari_client.get(url)
    with django_assert_max_num_queries(8):
        assert kari_client.get(url).status_code == 200


def _application_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "applications_application"' in q["sql"]]


def test_the_step_and_the_summary_read_only_the_columns_they_show(
    kari_client, version, django_assert_num_queries
):
    """A GET of a step or the summary reads its application once, without the dates, the
    frozen summary, the reference and the receipt (selectors.PAGE_FIELDS): nothing on those
    pages asks for a column left out (each would be a statement more)."""
    application = start(kari_client)
    fill(kari_client, application)
    for url in (
        step_url(application, "om"),
        reverse("applications:summary", args=[application.pk]),
    ):
        kari_client.get(url)
        with django_assert_num_queries(2) as queries:  # the session with its user; the draft
            assert kari_client.get(url).status_code == 200
        (read,) = _application_reads(queries.captured_queries)
        for column in ("created_at", "updated_at", "submitted_at", "summary", "reference"):
            assert f'"applications_application"."{column}"' not in read
        assert '"catalog_serviceversion"."content_hash"' in read
        assert '"catalog_serviceversion"."published_at"' not in read


def test_a_saved_step_reads_its_application_whole(
    kari_client, version, django_assert_max_num_queries
):
    application = start(kari_client)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = kari_client.post(
            step_url(application, "om"), {"navn": "Sommerfest", "antall": "3", "mer": "no"}
        )
    assert response.status_code == 302
    assert '"applications_application"."updated_at"' in _application_reads(queries)[0]


def test_errors_in_english(kari_client, version):
    from django.conf import settings

    application = start(kari_client)
    kari_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = kari_client.post(step_url(application, "om"), {"antall": "x", "_action": "next"})
    page = response.content.decode()
    assert "To continue, you must correct the following:" in page
    assert "must be a whole number" in page
