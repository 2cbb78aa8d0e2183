"""The brreg organisation register against a local server replaying recorded responses."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from iktipet.registers.brreg.client import BrregClient
from iktipet.registers.brreg.plugin import BrregOrganisationRegister
from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.organisations import organisation_registers


def recorded(name: str) -> bytes:
    return (Path(__file__).parent / "recorded" / name).read_bytes()


API = "/enhetsregisteret/api"
ORGNR = "810004622"  # valid check digit; the recorded body names its own (anonymised) number


def make_register(server, **options) -> BrregOrganisationRegister:
    options.setdefault("timeout", 2)
    return organisation_registers.create("brreg", base_url=server.url + API, **options)


def test_get_unit_maps_the_recorded_enhet(fake_server):
    fake_server.reply(
        "GET", f"{API}/enheter/{ORGNR}", body=recorded("enheter-details-response.json")
    )
    unit = make_register(fake_server).get_unit(ORGNR)
    assert unit is not None
    assert unit.name == "SESAM STASJON"
    assert (unit.form_code, unit.form_description) == ("AS", "Aksjeselskap")
    assert unit.business_address.lines == ["Tyvholmen 1"]
    assert unit.business_address.one_line == "Tyvholmen 1, 0101 OSLO"
    assert unit.postal_address.lines == ["c/o reder K. Rusing", "Postboks 1752 Vika"]
    assert unit.address == unit.postal_address
    assert unit.industry_code == "52.292"
    assert unit.active and not unit.deleted and not unit.bankrupt
    request = fake_server.requests[0]
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"].startswith("iktipet/")


def test_client_replays_recorded_numbers_directly(fake_server):
    fake_server.reply(
        "GET", f"{API}/enheter/112233445", body=recorded("enheter-details-response.json")
    )
    client = BrregClient(fake_server.url + API, timeout=2)
    response = client.enhet("112233445")
    assert response is not None and not response.gone
    assert response.data["organisasjonsnummer"] == "112233445"


def test_gone_unit_is_returned_as_deleted(fake_server):
    fake_server.reply(
        "GET",
        f"{API}/enheter/{ORGNR}",
        status=410,
        body=recorded("enheter-details-deleted-response.json"),
    )
    unit = make_register(fake_server).get_unit(ORGNR)
    assert unit is not None
    assert unit.deleted and not unit.active
    assert unit.deleted_date == datetime.date(2017, 10, 20)
    assert unit.name == "SLETTET ENHET AS"


def test_gone_unit_without_body_is_still_deleted(fake_server):
    fake_server.reply("GET", f"{API}/enheter/{ORGNR}", status=410, body=b"")
    unit = make_register(fake_server).get_unit(ORGNR)
    assert unit.deleted and unit.orgnr == ORGNR


def test_slettedato_in_a_200_marks_deleted(fake_server):
    body = json.loads(recorded("enheter-details-deleted-response.json"))
    fake_server.reply("GET", f"{API}/enheter/{ORGNR}", json_body=body)
    assert make_register(fake_server).get_unit(ORGNR).deleted


def test_bankrupt_flag(fake_server):
    body = json.loads(recorded("enheter-details-response.json")) | {"konkurs": True}
    fake_server.reply("GET", f"{API}/enheter/{ORGNR}", json_body=body)
    unit = make_register(fake_server).get_unit(ORGNR)
    assert unit.bankrupt and not unit.active


def test_unknown_unit_is_none(fake_server):
    fake_server.reply("GET", f"{API}/enheter/{ORGNR}", status=404, json_body={"status": 404})
    assert make_register(fake_server).get_unit(ORGNR) is None


def test_invalid_orgnr_never_reaches_the_register(fake_server):
    register = make_register(fake_server)
    assert register.get_unit("112233445") is None  # bad check digit
    assert register.get_unit("../../admin") is None
    assert register.roles("abc") == []
    assert fake_server.requests == []


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, b'{"error": "boom"}'),
        (503, b""),
        (400, b'{"feilmelding": "Ugyldig"}'),
        (200, b"<html>not json</html>"),
        (200, b'{"organisasjonsnummer": '),
        (200, b"[1, 2, 3]"),
        (200, b'{"unexpected": true}'),
        (410, b"not json"),
    ],
)
def test_failures_raise_register_unavailable(fake_server, status, body):
    fake_server.reply("GET", f"{API}/enheter/{ORGNR}", status=status, body=body)
    with pytest.raises(RegisterUnavailable) as info:
        make_register(fake_server).get_unit(ORGNR)
    assert info.value.register == "brreg"
    assert info.value.user_message


def test_timeout_raises_register_unavailable(fake_server):
    fake_server.reply(
        "GET", f"{API}/enheter/{ORGNR}", body=recorded("enheter-details-response.json"), delay=1.5
    )
    register = make_register(fake_server, timeout=0.2)
    with pytest.raises(RegisterUnavailable, match="timed out"):
        register.get_unit(ORGNR)


def test_unreachable_server_raises_register_unavailable():
    register = organisation_registers.create(
        "brreg", base_url="http://127.0.0.1:9/enhetsregisteret/api", timeout=1
    )
    with pytest.raises(RegisterUnavailable, match="request failed"):
        register.get_unit(ORGNR)


def test_roles_of_persons(fake_server):
    fake_server.reply(
        "GET", f"{API}/enheter/{ORGNR}/roller", body=recorded("enheter-roller-person-response.json")
    )
    [role] = make_register(fake_server).roles(ORGNR)
    assert (role.code, role.group_code, role.description) == ("LEDE", "STYR", "Styrets leder")
    assert role.name == "Ove Olsen"
    assert role.birth_date == datetime.date(1981, 1, 1)
    assert role.pid is None and role.holder_orgnr is None
    assert role.matches(["STYR"]) and role.matches(["LEDE"]) and not role.matches(["DAGL"])


def test_roles_held_by_units(fake_server):
    fake_server.reply(
        "GET", f"{API}/enheter/{ORGNR}/roller", body=recorded("enheter-roller-enhet-response.json")
    )
    roles = make_register(fake_server).roles(ORGNR)
    assert [(r.code, r.holder_orgnr, r.name) for r in roles] == [
        ("DTPR", "810006242", "Rolfsens Deltakerorganisasjon AS"),
        ("DTPR", "810004282", "Sult AS"),
    ]


def test_resigned_and_dead_role_holders_are_left_out(fake_server):
    body = json.loads(recorded("enheter-roller-person-response.json"))
    role = body["rollegrupper"][0]["roller"][0]
    body["rollegrupper"][0]["roller"] = [
        role | {"fratraadt": True},
        role | {"avregistrert": True},
        role | {"person": role["person"] | {"erDoed": True}},
        {"type": "garbage"},
        "garbage",
    ]
    fake_server.reply("GET", f"{API}/enheter/{ORGNR}/roller", json_body=body)
    assert make_register(fake_server).roles(ORGNR) == []


def test_roles_of_unknown_unit_are_empty(fake_server):
    assert make_register(fake_server).roles(ORGNR) == []


def test_parties_for_person_matches_name_and_birth_date_among_candidates(fake_server):
    other = "810005912"
    fake_server.reply(
        "GET", f"{API}/enheter/{ORGNR}/roller", body=recorded("enheter-roller-person-response.json")
    )
    fake_server.reply(
        "GET", f"{API}/enheter/{other}/roller", body=recorded("enheter-roller-enhet-response.json")
    )
    fake_server.reply(
        "GET", f"{API}/enheter/{ORGNR}", body=recorded("enheter-details-response.json")
    )
    register = make_register(fake_server, candidate_orgnrs=[ORGNR, other])
    born = datetime.date(1981, 1, 1)

    [unit] = register.parties_for_person("17819049912", born, "  ove   OLSEN ")
    assert unit.name == "SESAM STASJON"
    assert register.parties_for_person("17819049912", datetime.date(1981, 1, 2), "Ove Olsen") == []
    assert register.parties_for_person("17819049912", born, "Ove Olsen", ["DAGL"]) == []
    assert register.parties_for_person("17819049912", None, "Ove Olsen") == []


def test_parties_for_person_skips_deleted_units(fake_server):
    fake_server.reply(
        "GET", f"{API}/enheter/{ORGNR}/roller", body=recorded("enheter-roller-person-response.json")
    )
    fake_server.reply(
        "GET",
        f"{API}/enheter/{ORGNR}",
        status=410,
        body=recorded("enheter-details-deleted-response.json"),
    )
    register = make_register(fake_server, candidate_orgnrs=[ORGNR])
    assert register.parties_for_person("x", datetime.date(1981, 1, 1), "Ove Olsen") == []


def test_search_sends_filters_and_maps_results(fake_server):
    fake_server.reply("GET", f"{API}/enheter", body=recorded("enheter-search-response.json"))
    [unit] = make_register(fake_server).search("Sesam", kommunenummer="0301", limit=5)
    assert unit.name == "SESAM STASJON"
    query = fake_server.requests[0].query
    assert query == {"navn": ["Sesam"], "kommunenummer": ["0301"], "size": ["5"], "page": ["0"]}


def test_search_without_hits(fake_server):
    fake_server.reply("GET", f"{API}/enheter", json_body={"page": {"totalElements": 0}})
    assert make_register(fake_server).search("Finnes ikke") == []
    assert make_register(fake_server).search("   ") == []


def test_check_config_reports_missing_and_invalid_candidates():
    problems = organisation_registers.check_config("brreg", candidate_orgnrs=[])
    assert any("IKTIPET_BRREG_CANDIDATE_ORGNRS is empty" in p for p in problems)
    problems = organisation_registers.check_config("brreg", candidate_orgnrs=["123"])
    assert any("invalid orgnr" in p and "123" in p for p in problems)
    assert organisation_registers.check_config("brreg", candidate_orgnrs=[ORGNR]) == []


def test_user_message_is_translated():
    from django.utils import translation

    error = RegisterUnavailable("brreg", "timed out")
    with translation.override("nb"):
        assert error.user_message.startswith("Vi får ikke hentet opplysninger")
    with translation.override("en"):
        assert error.user_message.startswith("We cannot fetch information from a public register")
    assert str(error) == "brreg: timed out"
