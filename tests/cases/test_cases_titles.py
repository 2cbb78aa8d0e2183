"""Case titles people can tell apart: the definition's ``case_title`` filled in from the
answers (the venue, the child's first name, the street), else the service's title."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from pydantic import ValidationError

from iktipet.accounts.testing import sign_in_citizen
from iktipet.catalog import titles
from iktipet.catalog.schema import parse_definition
from support.applications import form_service, text
from support.cases import KARI, case_service, submitted_case
from support.pages import text_of

TEMPLATE = "Arrangement – {navn}"


def test_fill_uses_the_answers_as_shown_with_modifiers():
    shown = {
        "venue_name": "Testgrillen",
        "child": "Lise Nordmann-Test",
        "site": "Demogata 10, 0655",
    }
    assert titles.fill("Skjenkebevilling – {venue_name}", shown) == "Skjenkebevilling – Testgrillen"
    assert titles.fill("Barnehageplass for {child:first_word}", shown) == "Barnehageplass for Lise"
    assert titles.fill("Nabovarsel – {site:before_comma}", shown) == "Nabovarsel – Demogata 10"
    assert titles.fill("{venue_name}", {"venue_name": "  a \n b "}) == "a b"
    assert titles.fill("Skjenkebevilling – {venue_name}", {}) == ""  # caller falls back
    assert len(titles.fill("{venue_name}", {"venue_name": "x" * 500})) == titles.MAX_LENGTH


def test_a_case_title_naming_an_unknown_field_or_modifier_is_refused():
    steps = [
        {
            "id": "om",
            "title": text("Om"),
            "fields": [{"id": "navn", "type": "text", "label": text("Navn")}],
        }
    ]
    assert parse_definition(form_service(steps, case_title=text("Sak – {navn}"))).case_title
    with pytest.raises(ValidationError, match=re.escape("unknown field '{adresse}'")):
        parse_definition(form_service(steps, case_title=text("Sak – {adresse}")))
    with pytest.raises(ValidationError, match="unknown modifier ':upper'"):
        parse_definition(form_service(steps, case_title=text("Sak – {navn:upper}")))


@pytest.mark.django_db
def test_the_case_gets_the_title_from_its_answers(agencies, offline_settings):
    case_service(case_title=text(TEMPLATE))
    case = submitted_case(publish_service=False, navn="Sommerfest i Vigelandsparken")
    assert case.title == "Arrangement – Sommerfest i Vigelandsparken"
    # Min side calls the case and the receipt of its application by that title.
    client = Client()
    sign_in_citizen(client, KARI)
    page = text_of(client.get(reverse("accounts:my_page")))
    cases, receipts = page.split("Saker", 1)[1].split("Kvitteringer for innsendte søknader", 1)
    assert "Arrangement – Sommerfest i Vigelandsparken" in cases
    assert "Arrangement – Sommerfest i Vigelandsparken" in receipts


@pytest.mark.django_db
def test_without_case_title_the_case_has_the_services_title(agencies, offline_settings):
    assert submitted_case(title="Testsøknad").title == "Testsøknad"
