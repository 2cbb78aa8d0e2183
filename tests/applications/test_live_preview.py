"""The live questions' server side (issue 14.4): the preview evaluates the same rules as
saving and saves nothing; without JavaScript a step that revealed questions says so."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from iktipet.accounts.testing import sign_in_citizen
from iktipet.applications.models import Application
from support.applications import OLA, form_service, publish, text

STEPS = [
    {
        "id": "om",
        "title": text("Om søknaden"),
        "fields": [
            {"id": "antall", "type": "integer", "label": text("Antall dager"), "min": 1},
            {"id": "mer", "type": "yes_no", "label": text("Vil du fortelle mer?")},
            {
                "id": "detaljer",
                "type": "long_text",
                "label": text("Fortell mer"),
                "visible_if": "mer == true",
                "required_if": "mer == true",
            },
            {
                "id": "gebyr",
                "type": "info",
                "label": text("Gebyr"),
                "visible_if": "antall != null",
                "text": text("Gebyret blir {pris} kr."),
            },
        ],
    },
    {
        "id": "bekreft",
        "title": text("Bekreft"),
        "fields": [{"id": "ok", "type": "declaration", "label": text("Jeg bekrefter.")}],
    },
]


@pytest.fixture
def version(db):
    return publish(form_service(STEPS, computed=[{"id": "pris", "expression": "antall * 250"}]))


def start(client) -> Application:
    url = reverse("applications:start", args=["testskjema"])
    page = client.get(url)
    token = re.search(rb'name="start_token" value="([^"]+)"', page.content).group(1).decode()
    client.post(url, {"start_token": token})
    return Application.objects.latest("created_at")


def preview_url(application, step_id="om"):
    return reverse("applications:preview", args=[application.pk, step_id])


def test_preview_reveals_questions_and_computes_without_saving(kari_client, version):
    application = start(kari_client)
    shown = ["antall", "mer"]
    response = kari_client.post(
        preview_url(application), {"antall": "3", "mer": "yes", "_shown": shown}
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert 'data-live-field="detaljer"' in fragment
    assert "Gebyret blir 750 kr." in fragment
    assert '<input type="hidden" name="_shown" value="detaljer">' in fragment
    assert "<html" not in fragment  # a fragment, not a page
    application.refresh_from_db()
    assert application.answers.get("antall") is None  # nothing saved
    # Another answer hides the question again; a value typed wrong shows no error yet.
    fragment = kari_client.post(
        preview_url(application), {"antall": "x", "mer": "no", "_shown": shown}
    ).content.decode()
    assert 'data-live-field="detaljer"' not in fragment
    assert "ds-validation-message" not in fragment
    assert 'value="x"' in fragment  # what was typed is kept


def test_preview_is_post_only_and_another_persons_draft_is_404(client, kari_client, version):
    application = start(kari_client)
    assert kari_client.get(preview_url(application)).status_code == 405
    assert kari_client.post(preview_url(application, "finnes-ikke")).status_code == 404
    client.logout()
    sign_in_citizen(client, OLA)
    assert client.post(preview_url(application), {"antall": "2"}).status_code == 404


def test_without_javascript_a_step_that_revealed_questions_says_so(kari_client, version):
    application = start(kari_client)
    url = reverse("applications:step", args=[application.pk, "om"])
    page = kari_client.get(url).content.decode()
    assert 'id="revealed"' not in page
    assert "applications/live.js" in page  # loaded from a file: CSP allows no inline script
    response = kari_client.post(
        url, {"antall": "2", "mer": "yes", "_shown": ["antall", "mer"], "_action": "next"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="revealed" role="alert"' in page  # a screen reader says why the step stayed
    assert "«Fortell mer»" in page and "«Gebyr»" in page
    assert "ds-error-summary" not in page
    # The page shows them now: pressing on gives errors, not the notice again.
    response = kari_client.post(
        url,
        {
            "antall": "2",
            "mer": "yes",
            "_shown": ["antall", "mer", "detaljer", "gebyr"],
            "_action": "next",
        },
    )
    assert 'id="revealed"' not in response.content.decode()
