"""The helpers other apps' tests use to log in without an identity provider."""

from __future__ import annotations

import pytest

from iktipet.accounts.parties import ActingParty
from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.core.models import Agency, Municipality

pytestmark = pytest.mark.django_db


def test_signed_in_citizen_passes_citizen_login_required(client, registers):
    person = sign_in_citizen(client)
    page = client.get("/min-side/")
    assert page.status_code == 200
    assert "178190 *****" in page.content.decode()
    assert person.pid == "17819049912"


def test_level_is_respected(client, registers, settings):
    settings.ROOT_URLCONF = "support.accounts_urls"
    sign_in_citizen(client, level="substantial")
    assert client.get("/test/hoy/").status_code == 302
    sign_in_citizen(client, level="high")
    assert client.get("/test/hoy/").status_code == 200


def test_acting_for_an_organisation(client, registers, settings):
    settings.ROOT_URLCONF = "support.accounts_urls"
    org = ActingParty("organisation", "310000019", "Testgrillen Restaurant AS")
    sign_in_citizen(client, level="high", acting_for=org)
    assert client.get("/test/hoy/").content == b"high ok organisation 310000019"


def test_signed_in_staff_reaches_the_staff_page(client):
    municipality = Municipality.objects.create(name="Testkommune", kommunenummer="0301")
    Agency.objects.create(
        municipality=municipality, slug="byggesak", name_nb="Byggesak", name_en="Building"
    )
    sign_in_staff(client, [("byggesak", "case_worker")])
    page = client.get("/saksbehandling/", follow=True)  # a case worker lands in the inbox
    assert page.status_code == 200 and "Siri Saksbehandler" in page.content.decode()


def test_staff_needs_a_role(client):
    with pytest.raises(ValueError):
        sign_in_staff(client, [])
