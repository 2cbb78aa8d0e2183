"""Min side and acting on behalf of an organisation."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from iktipet.accounts import acting_party, parties_for
from iktipet.accounts.models import Person
from iktipet.core.models import AuditEvent
from support.oidc_browser import KARI, OLA, ORG_KARI_BOARD_MEMBER, ORG_KARI_LEADS, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari(client, rp):
    log_in(client)
    return client


def test_min_side_shows_name_masked_fnr_address_and_party(kari):
    page = kari.get("/min-side/").content.decode()
    assert "Kari Nordmann-Test" in page
    assert "178190 *****" in page
    assert KARI not in page
    assert "Testveien 12, 0560 OSLO" in page
    assert "deg selv" in page


def test_min_side_needs_login(client, rp):
    response = client.get("/min-side/")
    assert response.status_code == 302
    assert response["Location"] == "/logg-inn/?next=%2Fmin-side%2F&niva=substantial"


def test_min_side_survives_a_broken_register(kari, settings, tmp_path):
    settings.DEMO_DATA_DIR = tmp_path / "missing"
    response = kari.get("/min-side/")
    assert response.status_code == 200
    assert "178190 *****" in response.content.decode()


def test_parties_for_lists_organisations_with_a_qualifying_role(kari):
    person = Person.objects.get()
    assert [p.id for p in parties_for(person, ["DAGL", "LEDE", "INNH"])] == [ORG_KARI_LEADS]
    both = parties_for(person, ["DAGL", "STYR"])
    assert {p.id for p in both} == {ORG_KARI_LEADS, ORG_KARI_BOARD_MEMBER}
    assert all(p.kind == "organisation" for p in both)


def test_choose_party_page_lists_myself_and_qualifying_organisations(kari):
    page = kari.get("/velg-aktor/").content.decode()
    assert 'value="self"' in page
    assert f'value="{ORG_KARI_LEADS}"' in page
    assert ORG_KARI_BOARD_MEMBER not in page  # styremedlem does not qualify by default
    assert "Testgrillen Restaurant AS" in page


def test_choosing_an_organisation_shows_in_header_and_is_audited(kari):
    response = kari.post("/velg-aktor/", {"party": ORG_KARI_LEADS, "next": "/tjenester/"})
    assert response.status_code == 302 and response["Location"] == "/tjenester/"
    header = kari.get("/").content.decode()
    assert "på vegne av Testgrillen Restaurant AS" in header
    assert "/velg-aktor/?next=" in header
    event = AuditEvent.objects.get(action="accounts.acting_party_changed")
    assert event.details == {"kind": "organisation", "orgnr": ORG_KARI_LEADS}
    assert KARI not in str(event.details)

    request = RequestFactory().get("/")
    request.user = Person.objects.get().user
    request.session = kari.session
    party = acting_party(request)
    assert (party.kind, party.id, party.name) == (
        "organisation",
        ORG_KARI_LEADS,
        "Testgrillen Restaurant AS",
    )

    kari.post("/velg-aktor/", {"party": "self"})
    request.session = kari.session
    assert acting_party(request).kind == "person"
    assert AuditEvent.objects.filter(action="accounts.acting_party_changed").count() == 2


def test_an_organisation_without_a_qualifying_role_is_refused(kari):
    response = kari.post("/velg-aktor/", {"party": ORG_KARI_BOARD_MEMBER})
    assert response.status_code == 400
    assert "Du kan ikke representere denne virksomheten" in response.content.decode()
    assert not AuditEvent.objects.filter(action="accounts.acting_party_changed").exists()


def _header(client) -> str:
    return client.get("/").content.decode()


def test_role_codes_from_the_request_are_ignored(kari):
    """The escalation of issue 9: a board member (MEDL) named her own role code in the POST."""
    response = kari.post("/velg-aktor/", {"party": ORG_KARI_BOARD_MEMBER, "roller": "MEDL"})
    assert response.status_code == 400
    assert "Du kan ikke representere denne virksomheten" in response.content.decode()
    assert "på vegne av" not in _header(kari)
    assert kari.session["accounts.party"]["kind"] == "person"
    assert not AuditEvent.objects.filter(action="accounts.acting_party_changed").exists()
    # Nor through the query string, nor for a service that does not exist.
    for query in ("?roller=MEDL", "?tjeneste=finnes-ikke&roller=STYR"):
        response = kari.post(f"/velg-aktor/{query}", {"party": ORG_KARI_BOARD_MEMBER})
        assert response.status_code == 400


@pytest.fixture
def board_service(db):
    """A published service whose definition lets board members (STYR) apply."""
    from support.applications import form_service, publish, text

    data = form_service(
        [
            {
                "id": "om",
                "title": text("Om"),
                "fields": [{"id": "navn", "type": "text", "label": text("Navn")}],
            }
        ],
        id="styresak",
        audience="any",
        representation_roles=["STYR"],
    )
    publish(data)
    return "styresak"


def test_a_service_definition_can_name_other_role_codes(kari, board_service):
    page = kari.get(f"/velg-aktor/?tjeneste={board_service}").content.decode()
    assert f'value="{ORG_KARI_BOARD_MEMBER}"' in page
    assert f'name="tjeneste" value="{board_service}"' in page
    response = kari.post(
        "/velg-aktor/", {"party": ORG_KARI_BOARD_MEMBER, "tjeneste": board_service}
    )
    assert response.status_code == 302
    assert "på vegne av Dahl Eksempelbygg AS" in _header(kari)
    assert kari.session["accounts.party"]["roles"] == ["STYR"]


def _as_request(client):
    request = RequestFactory().get("/")
    request.user = Person.objects.get().user
    request.session = client.session
    return request


def test_a_forged_party_in_the_session_is_not_trusted(client, rp):
    """A party put in the session by any means is checked against the register when used."""
    from iktipet.accounts.parties import ActingParty
    from iktipet.accounts.testing import sign_in_citizen

    sign_in_citizen(
        client, KARI, acting_for=ActingParty("organisation", ORG_KARI_BOARD_MEMBER, "Dahl")
    )
    assert "på vegne av" not in _header(client)
    assert client.session["accounts.party"]["kind"] == "person"
    event = AuditEvent.objects.get(action="accounts.acting_party_revoked")
    assert event.details == {"orgnr": ORG_KARI_BOARD_MEMBER}


def test_a_role_removed_in_the_register_mid_session_ends_the_right(
    kari, registers, monkeypatch, settings
):
    import json

    from iktipet.accounts import sessions

    kari.post("/velg-aktor/", {"party": ORG_KARI_LEADS})
    assert "på vegne av Testgrillen Restaurant AS" in _header(kari)

    path = registers / "organisations.json"
    data = json.loads(path.read_text())
    data["organisations"] = [u for u in data["organisations"] if u["orgnr"] != ORG_KARI_LEADS]
    path.write_text(json.dumps(data))

    # The register's yes is trusted for a few minutes (settings.ACCOUNTS_PARTY_RECHECK_SECONDS)…
    assert "på vegne av Testgrillen Restaurant AS" in _header(kari)
    # …and asked again after that: the right is gone, the person acts for herself.
    later = sessions.now() + settings.ACCOUNTS_PARTY_RECHECK_SECONDS + 1
    monkeypatch.setattr(sessions, "now", lambda: later)
    assert "på vegne av" not in _header(kari)
    assert acting_party(_as_request(kari)).kind == "person"
    assert AuditEvent.objects.filter(action="accounts.acting_party_revoked").count() == 1


def test_an_unavailable_register_fails_closed_and_keeps_the_choice(kari, settings, monkeypatch):
    from iktipet.accounts import sessions

    kari.post("/velg-aktor/", {"party": ORG_KARI_LEADS})
    later = sessions.now() + settings.ACCOUNTS_PARTY_RECHECK_SECONDS + 1
    monkeypatch.setattr(sessions, "now", lambda: later)
    settings.DEMO_DATA_DIR = settings.DEMO_DATA_DIR / "missing"
    assert "på vegne av" not in _header(kari)
    assert kari.session["accounts.party"]["id"] == ORG_KARI_LEADS  # back when the register is


def test_nothing_chosen_is_a_clear_error(kari):
    response = kari.post("/velg-aktor/", {})
    assert response.status_code == 400
    assert "Velg hvem du vil representere" in response.content.decode()


def test_party_survives_step_up(kari, rp):
    kari.post("/velg-aktor/", {"party": ORG_KARI_LEADS})
    log_in(kari, "/logg-inn/?niva=high")  # step-up: the same person
    assert kari.session["accounts.party"]["id"] == ORG_KARI_LEADS


def test_another_person_logging_in_starts_a_fresh_session(kari, rp):
    kari.post("/velg-aktor/", {"party": ORG_KARI_LEADS})
    rp.pid = OLA  # someone else logs in at the same computer
    log_in(kari, "/logg-inn/?niva=high")
    assert kari.session["accounts.party"]["kind"] == "person"
    assert Person.objects.get(user_id=kari.session["_auth_user_id"]).pid == OLA


def test_choose_party_post_needs_csrf(rp):
    browser = Client(enforce_csrf_checks=True)
    log_in(browser)
    assert browser.post("/velg-aktor/", {"party": ORG_KARI_LEADS}).status_code == 403


def test_other_apps_add_sections_to_min_side(kari, settings, tmp_path):
    import copy

    from iktipet.accounts import my_page

    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "_test_section.html").write_text(
        "<section><p>{{ section.count }} saker for {{ person.pid_masked }}</p></section>"
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    django = next(e for e in templates if e["BACKEND"].endswith("DjangoTemplates"))
    django["DIRS"] = [*django["DIRS"], tmp_path]
    settings.TEMPLATES = templates

    @my_page.my_page_section("sections/_test_section.html", order=1)
    def cases(request, person):
        return {"count": 3}

    try:
        page = kari.get("/min-side/").content.decode()
    finally:
        my_page.section_hooks.remove("sections/_test_section.html")
    assert "3 saker for 178190 *****" in page
