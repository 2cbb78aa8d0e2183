"""NUL and the other control characters in every text input of a form step: an error on the
field, the page shown again with what was typed, nothing of it in the draft — never a 500
(PostgreSQL's jsonb refuses ``\\u0000``). Run on PostgreSQL too (IKTIPET_DATABASE_URL)."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iktipet.applications.engine.names import count_input, row_input
from iktipet.applications.models import Application
from iktipet.core.forms import has_disallowed_characters
from support.applications import form_service, publish, text

CONTROLS = [
    chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]
]
REFUSED = "usynlig kontrolltegn"

FIELDS = [
    {"id": "navn", "type": "text", "label": text("Navn")},
    {"id": "mer", "type": "long_text", "label": text("Fortell mer")},
    {"id": "antall", "type": "integer", "label": text("Antall")},
    {"id": "sum", "type": "money", "label": text("Beløp")},
    {"id": "dato", "type": "date", "label": text("Dato")},
    {"id": "epost", "type": "email", "label": text("E-post")},
    {"id": "telefon", "type": "phone", "label": text("Telefon")},
    {"id": "fnr", "type": "fodselsnummer", "label": text("Fødselsnummer")},
    {"id": "orgnr", "type": "organisasjonsnummer", "label": text("Organisasjonsnummer")},
    {"id": "adresse", "type": "address", "label": text("Adresse")},
    {"id": "kontakt", "type": "person", "label": text("Kontaktperson")},
    {
        "id": "rader",
        "type": "group",
        "label": text("Rader"),
        "fields": [{"id": "tekst", "type": "text", "label": text("Tekst")}],
    },
]
#: Every text input the step posts, by its name in the form.
INPUTS = [
    "navn",
    "mer",
    "antall",
    "sum",
    "dato",
    "epost",
    "telefon",
    "fnr",
    "orgnr",
    "adresse-street",
    "adresse-postnummer",
    "adresse-poststed",
    "adresse-query",
    "kontakt-name",
    "kontakt-fnr",
    row_input("rader", 0, "tekst"),
]

with_control = st.builds(
    lambda before, control, after: before + control + after,
    st.text(max_size=10),
    st.sampled_from(CONTROLS),
    st.text(max_size=10),
)


@pytest.fixture
def draft(kari_client):
    publish(form_service([{"id": "alt", "title": text("Alt"), "fields": FIELDS}]))
    url = reverse("applications:start", args=["testskjema"])
    assert kari_client.post(url, {"start_token": str(uuid.uuid4())}).status_code == 302
    return Application.objects.latest("created_at")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(INPUTS),
    value=with_control,
    action=st.sampled_from(["next", "save", "search:adresse"]),
)
def test_a_control_character_in_any_input_is_an_error_on_it(
    kari_client, draft, name, value, action
):
    cache.clear()  # the step's rate limit is per minute; hypothesis posts faster
    url = reverse("applications:step", args=[draft.pk, "alt"])
    data = {"navn": "Sommerfest", count_input("rader"): "1", "_action": action, name: value}
    response = kari_client.post(url, data)
    assert response.status_code == 200  # the step again, not a redirect
    page = response.content.decode()
    assert REFUSED in page
    assert escape(value) in page or escape(value.strip()) in page  # kept as typed
    draft.refresh_from_db()
    assert not has_disallowed_characters(draft.answers), json.dumps(draft.answers)
