"""Who applies is always said (issue 14): "Søker: …" on the first page and the summary; a
service only a person can apply for says so; an organisation chosen for an earlier service
is shown, with a way to change, before anything is applied for it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from iktipet.accounts.parties import ActingParty
from iktipet.accounts.testing import sign_in_citizen
from iktipet.applications.models import Application
from support.applications import KARI, publish, seed
from support.pages import text_of

pytestmark = pytest.mark.django_db

TESTGRILLEN = ActingParty("organisation", "310000019", "Testgrillen Restaurant AS")


@pytest.fixture
def services(db):
    from iktipet.core.demo_data import load_municipality

    load_municipality()
    for service in ("skjenkebevilling", "barnehageplass", "nabovarsel"):
        publish(seed(service))


def _start_page(client, service: str) -> str:
    response = client.get(reverse("applications:start", args=[service]))
    assert response.status_code == 200, response.get("Location")
    return text_of(response)


def test_the_first_page_and_the_summary_name_the_organisation(client, services):
    sign_in_citizen(client, KARI, acting_for=TESTGRILLEN)
    page = _start_page(client, "skjenkebevilling")
    assert "Søker: Testgrillen Restaurant AS (org.nr. 310000019)" in page
    assert "Søk for en annen virksomhet eller deg selv" in page
    url = reverse("applications:start", args=["skjenkebevilling"])
    client.post(url, {"start_token": "3f1f4c0e-8d7e-4c5a-9a55-2a1a4b2f8c10"})
    application = Application.objects.get()
    summary = text_of(client.get(reverse("applications:summary", args=[application.pk])))
    assert "Søker: Testgrillen Restaurant AS (org.nr. 310000019)" in summary


def test_a_person_only_service_uses_the_person_and_says_so(client, services):
    """Kari still acts for Testgrillen from an earlier service: barnehageplass is hers."""
    sign_in_citizen(client, KARI, level="high", acting_for=TESTGRILLEN)
    page = _start_page(client, "barnehageplass")
    assert "Søker: Kari Nordmann-Test" in page
    assert "Bare privatpersoner kan søke om dette, så du søker for deg selv." in page
    assert "Testgrillen" not in page.split("Søker:", 1)[1].split("Start", 1)[0]


def test_a_party_left_over_from_an_earlier_service_is_shown_before_it_is_used(client, services):
    """Nabovarsel may be sent by a person or an organisation: the organisation chosen for
    skjenkebevilling is named on the first page, with the way to change it."""
    sign_in_citizen(client, KARI, acting_for=TESTGRILLEN)
    page = _start_page(client, "nabovarsel")
    assert "Søker: Testgrillen Restaurant AS (org.nr. 310000019)" in page
    assert "Søk for en annen virksomhet eller deg selv" in page
    sign_in_citizen(client, KARI)
    page = _start_page(client, "nabovarsel")
    assert "Søker: Kari Nordmann-Test" in page
    assert "Søk på vegne av en virksomhet" in page
