"""Population register: the local synthetic dataset and the Folkeregister HTTP plugin."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.test import override_settings

from iktipet.core.identifiers import birth_date_from_fodselsnummer, validate_fodselsnummer
from iktipet.core.registry import UnknownPlugin
from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.folkeregister.plugin import FolkeregisterPopulationRegister
from iktipet.registers.population import (
    LocalPopulationRegister,
    population_register,
    population_registers,
    synthetic_persons,
)

RECORDED = Path(__file__).parent / "recorded"
KARI, EMMA, NOAH = "17819049912", "14832699927", "02902399812"
FREG_PATH = "/folkeregisteret/offentlig-med-hjemmel/api/v1/personer/"


def test_default_is_the_local_synthetic_population():
    register = population_register()
    assert isinstance(register, LocalPopulationRegister)
    kari = register.get_person(KARI)
    assert kari.full_name == "Kari Nordmann-Test"
    assert kari.birth_date == datetime.date(1990, 1, 17)
    assert kari.address.one_line == "Testveien 12, 0560 OSLO"
    assert (kari.address.kommunenummer, kari.address.bydel) == ("0301", "04")
    assert kari.age_on(datetime.date(2026, 1, 16)) == 35
    assert kari.age_on(datetime.date(2026, 1, 17)) == 36


def test_children_of():
    register = population_register()
    assert [child.pid for child in register.children_of(KARI)] == [EMMA, NOAH]
    assert register.children_of(EMMA) == []
    assert register.children_of("00000000000") == []


def test_unknown_and_garbage_numbers_are_none():
    register = population_register()
    assert register.get_person("00000000000") is None
    assert register.get_person("") is None
    assert register.get_person("'; DROP TABLE") is None


def test_synthetic_dataset_is_consistent():
    persons = synthetic_persons()
    assert len(persons) >= 12
    by_pid = {person.pid: person for person in persons}
    assert len(by_pid) == len(persons)
    for person in persons:
        assert validate_fodselsnummer(person.pid, allow_synthetic=True) == person.pid
        assert birth_date_from_fodselsnummer(person.pid) == person.birth_date
        for child in person.children:
            assert person.pid in by_pid[child].parents
        for parent in person.parents:
            assert person.pid in by_pid[parent].children


@override_settings(POPULATION_REGISTER="folkeregister", FOLKEREGISTER_URL="http://freg.invalid")
def test_setting_selects_the_folkeregister_plugin():
    assert isinstance(population_register(), FolkeregisterPopulationRegister)


@override_settings(POPULATION_REGISTER="nope")
def test_unknown_plugin_name_is_a_clear_error():
    with pytest.raises(UnknownPlugin, match="folkeregister, local"):
        population_register()


def test_local_check_config(tmp_path):
    assert population_registers.check_config("local", data_dir=tmp_path)[0].endswith(
        "cannot be read: No such file or directory"
    )
    (tmp_path / "persons.json").write_text("{not json")
    assert "not valid JSON" in population_registers.check_config("local", data_dir=tmp_path)[0]
    (tmp_path / "persons.json").write_text(json.dumps({"persons": [{"pid": "1"}]}))
    assert "malformed person" in population_registers.check_config("local", data_dir=tmp_path)[0]


def test_local_dataset_is_reread_when_the_file_changes(tmp_path):
    path = tmp_path / "persons.json"
    person = {"pid": KARI, "given_name": "A", "family_name": "B", "birth_date": "1990-01-17"}
    path.write_text(json.dumps({"persons": [person]}))
    register = LocalPopulationRegister(data_dir=tmp_path)
    assert register.get_person(KARI).given_name == "A"
    path.write_text(json.dumps({"persons": [person | {"given_name": "Changed"}]}))
    assert register.get_person(KARI).given_name == "Changed"


# --- Folkeregister over HTTP -------------------------------------------------------------


def freg(server, **options) -> FolkeregisterPopulationRegister:
    options.setdefault("token", "test-token")
    options.setdefault("timeout", 2)
    return population_registers.create("folkeregister", base_url=server.url, **options)


def test_folkeregister_person_is_mapped(fake_server):
    fake_server.reply(
        "GET", FREG_PATH + KARI, body=(RECORDED / "freg-person-synthetic.json").read_bytes()
    )
    person = freg(fake_server).get_person(KARI)
    assert person.full_name == "KARI SYNNØVE NORDMANN-TEST"
    assert person.birth_date == datetime.date(1990, 1, 17)
    assert person.address.street == "Testveien 12 A"
    assert (person.address.postnummer, person.address.poststed) == ("0560", "OSLO")
    assert (person.address.kommunenummer, person.address.bydel) == ("0301", "04")
    assert person.children == [EMMA, NOAH]
    assert not person.address_protected
    request = fake_server.requests[0]
    assert request.headers["authorization"] == "Bearer test-token"
    assert request.query == {"part": ["person-basis", "relasjon-utvidet"]}


def test_folkeregister_protected_address_is_withheld(fake_server):
    doc = json.loads((RECORDED / "freg-person-synthetic.json").read_text())
    doc["adressebeskyttelse"] = [{"erGjeldende": True, "graderingsnivaa": "strengtFortrolig"}]
    fake_server.reply("GET", FREG_PATH + KARI, json_body=doc)
    person = freg(fake_server).get_person(KARI)
    assert person.address is None and person.address_protected


def test_folkeregister_children_of_fetches_each_child(fake_server):
    fake_server.reply(
        "GET", FREG_PATH + KARI, body=(RECORDED / "freg-person-synthetic.json").read_bytes()
    )
    child = {
        "foedsel": [{"erGjeldende": True, "foedselsdato": "2026-03-14"}],
        "navn": [{"erGjeldende": True, "fornavn": "EMMA", "etternavn": "NORDMANN-TEST"}],
    }
    fake_server.reply("GET", FREG_PATH + EMMA, json_body=child)
    # NOAH is unknown to this server (404) and is skipped.
    children = freg(fake_server).children_of(KARI)
    assert [(c.pid, c.given_name, c.address) for c in children] == [(EMMA, "EMMA", None)]


def test_folkeregister_unknown_person_is_none(fake_server):
    assert freg(fake_server).get_person(KARI) is None
    assert freg(fake_server).get_person("not-a-pid") is None
    assert len(fake_server.requests) == 1


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, b"{}"),
        (403, b'{"kode": "FREG-403"}'),
        (200, b"not json"),
        (200, b"[]"),
        (200, b'{"navn": []}'),
        (200, b'{"foedsel": [{"foedselsdato": "1990-01-17"}], "navn": "x"}'),
    ],
)
def test_folkeregister_failures_never_leak_the_number(fake_server, status, body):
    fake_server.reply("GET", FREG_PATH + KARI, status=status, body=body)
    with pytest.raises(RegisterUnavailable) as info:
        freg(fake_server).get_person(KARI)
    assert KARI not in str(info.value)


def test_folkeregister_timeout(fake_server):
    fake_server.reply("GET", FREG_PATH + KARI, json_body={}, delay=1.5)
    with pytest.raises(RegisterUnavailable, match="timed out"):
        freg(fake_server, timeout=0.2).get_person(KARI)


def test_folkeregister_reads_the_token_file_per_request(fake_server, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("first\n")
    register = freg(fake_server, token="", token_file=str(token_file))
    register.get_person(KARI)
    token_file.write_text("second")
    register.get_person(KARI)
    assert [r.headers["authorization"] for r in fake_server.requests] == [
        "Bearer first",
        "Bearer second",
    ]


def test_folkeregister_without_token_is_unavailable(fake_server):
    with pytest.raises(RegisterUnavailable, match="no access token"):
        freg(fake_server, token="").get_person(KARI)
    assert fake_server.requests == []


def test_folkeregister_check_config(tmp_path):
    problems = population_registers.check_config("folkeregister", base_url="")
    assert any("IKTIPET_FOLKEREGISTER_URL" in p for p in problems)
    assert any("IKTIPET_FOLKEREGISTER_TOKEN_FILE is not set" in p for p in problems)
    token_file = tmp_path / "token"
    token_file.write_text("abc")
    assert (
        population_registers.check_config(
            "folkeregister", base_url="https://freg.example", token_file=str(token_file)
        )
        == []
    )
