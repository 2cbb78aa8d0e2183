"""A notification's link to a case opens after a fresh login, whichever party the session
starts as: the person switches to the case's party when the register lets them act for it,
and sees that they did; anyone else still gets 404."""

from __future__ import annotations

import pytest
from django.test import Client

from iktipet.accounts.parties import ActingParty
from iktipet.accounts.testing import sign_in_citizen
from iktipet.core.models import AuditEvent
from support.cases import KARI, OLA, case_service, case_url, submitted_case
from support.oidc_browser import ORG_KARI_BOARD_MEMBER, ORG_KARI_LEADS

pytestmark = pytest.mark.django_db

TESTGRILLEN = ActingParty("organisation", ORG_KARI_LEADS, "Testgrillen Restaurant AS")
BOARD = ActingParty("organisation", ORG_KARI_BOARD_MEMBER, "Styreverv AS")


@pytest.fixture
def organisation_case(agencies):
    """Kari's application for Testgrillen (she is daglig leder) to a service for organisations."""
    case_service(representation_roles=("DAGL", "LEDE"))
    case = submitted_case(publish_service=False, acting_for=TESTGRILLEN)
    assert (case.party_kind, case.party_identifier) == ("organisation", ORG_KARI_LEADS)
    return case


def _party(client: Client) -> dict:
    from iktipet.accounts import sessions

    return client.session[sessions.PARTY]


def test_a_link_to_the_organisations_case_switches_party_with_a_notice(organisation_case):
    client = Client()
    sign_in_citizen(client, KARI)  # a fresh login acts for Kari herself
    response = client.get(case_url(organisation_case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Du bruker nå tjenestene på vegne av Testgrillen Restaurant AS" in page
    assert f"org.nr. {ORG_KARI_LEADS}" in page
    assert _party(client)["id"] == ORG_KARI_LEADS
    event = AuditEvent.objects.filter(action="accounts.acting_party_changed").latest("id")
    assert event.details == {"kind": "organisation", "orgnr": ORG_KARI_LEADS, "via": "link"}
    # Already the right party: no second switch and no notice.
    again = client.get(case_url(organisation_case)).content.decode()
    assert "Du bruker nå tjenestene på vegne av" not in again


def test_a_link_to_the_persons_own_case_switches_back_to_herself(agencies):
    own = submitted_case("egen")
    client = Client()
    sign_in_citizen(client, KARI, acting_for=TESTGRILLEN)
    response = client.get(case_url(own))
    assert response.status_code == 200
    assert "på vegne av deg selv" in response.content.decode()
    assert _party(client)["kind"] == "person"


def test_another_person_gets_404_and_keeps_their_party(organisation_case):
    client = Client()
    sign_in_citizen(client, OLA, name=("Ola", "Nordmann-Test"))
    assert client.get(case_url(organisation_case)).status_code == 404
    assert _party(client)["kind"] == "person"


def test_a_role_that_does_not_qualify_gets_404(organisation_case):
    """Kari is only a board member of this organisation: the register says no for the
    service's roles (daglig leder, styreleder)."""
    from iktipet.cases.models import Case

    Case.objects.filter(pk=organisation_case.pk).update(
        party_identifier=BOARD.id, party_name=BOARD.name
    )
    case = organisation_case
    client = Client()
    sign_in_citizen(client, KARI)
    assert client.get(case_url(case)).status_code == 404
    assert _party(client)["kind"] == "person"


def test_anothers_person_case_is_404_even_for_the_organisations_leader(agencies):
    theirs = submitted_case("egen", pid=OLA, name=("Ola", "Nordmann-Test"))
    client = Client()
    sign_in_citizen(client, KARI, acting_for=TESTGRILLEN)
    assert client.get(case_url(theirs)).status_code == 404
    assert _party(client)["id"] == ORG_KARI_LEADS


def test_a_post_under_another_party_is_not_switched(organisation_case):
    client = Client()
    sign_in_citizen(client, KARI)
    url = case_url(organisation_case) + "melding/"
    assert client.post(url, {"body": "Hei"}).status_code == 404
    assert _party(client)["kind"] == "person"


def test_a_register_that_cannot_answer_gives_404(organisation_case, settings, tmp_path):
    from django.core.cache import cache

    cache.clear()  # the register's yes when the case was submitted is trusted for a while
    settings.DEMO_DATA_DIR = tmp_path / "missing"
    client = Client()
    sign_in_citizen(client, KARI)
    assert client.get(case_url(organisation_case)).status_code == 404
