"""Summaries people can read (issue 14.5): repeating groups as tables, numbers with their
unit, rule errors beside field errors, errors that name their field, impossible dates."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from iktipet.applications.models import Application
from support.applications import form_service, publish, text

STEPS = [
    {
        "id": "om",
        "title": text("Om arrangementet"),
        "fields": [
            {"id": "navn", "type": "text", "label": text("Navn på arrangementet")},
            {
                "id": "volum",
                "type": "integer",
                "label": text("Forventet mengde"),
                "unit": {"nb": "liter", "en": "litres"},
            },
            {
                "id": "areal",
                "type": "decimal",
                "label": text("Areal"),
                "unit": {"nb": "m²", "en": "m²"},
                "required": False,
            },
            {"id": "dato", "type": "date", "label": text("Dato for arrangementet")},
            {
                "id": "fra",
                "type": "text",
                "label": text("Fra kl."),
                "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
                "pattern_message": text("Skriv «Fra kl.» som tt:mm."),
                "required": False,
            },
            {
                "id": "gjester",
                "type": "group",
                "label": text("Styrere"),
                "item_label": text("Styrer"),
                "min_items": 0,
                "max_items": 5,
                "required": False,
                "fields": [
                    {"id": "fornavn", "type": "text", "label": text("Navn")},
                    {"id": "adresse", "type": "text", "label": text("Adresse")},
                ],
            },
        ],
        "validations": [
            {
                "id": "stort_nok",
                "check": "volum >= 100",
                "fields": ["volum"],
                "message": text("Forventet mengde må være minst 100 liter."),
            }
        ],
    },
]


@pytest.fixture
def version(db):
    return publish(form_service(STEPS))


def start(client) -> Application:
    url = reverse("applications:start", args=["testskjema"])
    page = client.get(url)
    token = re.search(rb'name="start_token" value="([^"]+)"', page.content).group(1).decode()
    client.post(url, {"start_token": token})
    return Application.objects.latest("created_at")


def post(client, application, **data):
    url = reverse("applications:step", args=[application.pk, "om"])
    body = {"navn": "Sommerfest", "volum": "5000", "dato": "17.05.2027", "_action": "next"}
    body.update(data)
    return client.post(url, body)


def test_group_is_a_table_and_numbers_keep_their_unit(kari_client, version):
    application = start(kari_client)
    rows = {
        "gjester-count": "2",
        "gjester-0-fornavn": "Kari Nordmann",
        "gjester-0-adresse": "Storgata 1",
        "gjester-1-fornavn": "Ola Nordmann",
        "gjester-1-adresse": "Lillegata 2",
    }
    response = post(kari_client, application, areal="80", **rows)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = kari_client.get(reverse("applications:summary", args=[application.pk])).content.decode()
    assert "5\u00a0000\u00a0liter" in page
    assert "80\u00a0m²" in page
    table = page[page.index('<table class="ds-table app-answer-table"') :]
    table = table[: table.index("</table>")]
    assert '<th scope="col">Navn</th>' in table and '<th scope="col">Adresse</th>' in table
    assert "<td>Ola Nordmann</td><td>Lillegata 2</td>" in table
    assert "Navn: Kari Nordmann;" not in page  # not the one long line


def test_rule_error_shows_with_field_errors(kari_client, version):
    application = start(kari_client)
    response = post(kari_client, application, volum="50", fra="25:00")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Skriv «Fra kl.» som tt:mm." in page
    assert "Forventet mengde må være minst 100 liter." in page  # not only after a second press


def test_impossible_date_says_the_date_does_not_exist(kari_client, version):
    application = start(kari_client)
    page = post(kari_client, application, dato="31.02.2027").content.decode()
    assert "Datoen finnes ikke" in page
    assert "«Dato for arrangementet»" in page
    assert 'value="31.02.2027"' in page  # what was typed is kept
    kari_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = post(kari_client, application, dato="31.02.2027").content.decode()
    assert "The date does not exist" in page


def test_a_stored_date_is_shown_as_people_write_it(kari_client, version):
    application = start(kari_client)
    assert post(kari_client, application).status_code == 302
    url = reverse("applications:step", args=[application.pk, "om"])
    assert 'value="17.05.2027"' in kari_client.get(url).content.decode()
