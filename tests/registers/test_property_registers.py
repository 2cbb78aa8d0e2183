"""Property register: the synthetic matrikkel and the HTTP facade plugin."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.matrikkel.plugin import MatrikkelPropertyRegister
from iktipet.registers.organisations import organisation_register
from iktipet.registers.population import synthetic_persons
from iktipet.registers.property import (
    MatrikkelId,
    Property,
    property_register,
    property_registers,
)

KARI, OLA = "17819049912", "03868849974"


def test_matrikkel_id_parse_and_format():
    assert str(MatrikkelId.parse("0301-901/12")) == "0301-901/12"
    assert MatrikkelId.parse(" 0301-903/7/0/2 ") == MatrikkelId("0301", 903, 7, 0, 2)
    assert str(MatrikkelId("0301", 903, 7, 0, 2)) == "0301-903/7/0/2"
    assert str(MatrikkelId("0301", 903, 7, 3)) == "0301-903/7/3"
    for bad in ["", "0301", "301-1/2", "0301-a/2", "0301-1/2/3/4/5", None]:
        with pytest.raises(ValueError):
            MatrikkelId.parse(bad)


def test_karis_home_and_its_neighbours():
    register = property_register()
    home = register.get_property("0301", 901, 12)
    assert home.address.one_line == "Testveien 12, 0560 OSLO"
    assert [(o.name, o.pid, o.share) for o in home.owners] == [
        ("Kari Nordmann-Test", KARI, "1/2"),
        ("Ola Nordmann-Test", OLA, "1/2"),
    ]
    neighbours = register.neighbours(home)
    assert [n.label for n in neighbours] == [
        "0301-901/10",
        "0301-901/11",
        "0301-901/14",
        "0301-901/20",
    ]
    assert all(n.owners for n in neighbours)
    company = next(n for n in neighbours if n.label == "0301-901/14").owners[0]
    assert company.is_organisation and company.orgnr == "310000027"


def test_lookups_that_find_nothing():
    register = property_register()
    assert register.get_property("0301", 1, 1) is None
    assert register.get("0301-901/12/0/9") is None
    assert register.get("not a number") is None
    assert register.neighbours(Property("0301", 1, 1)) == []
    assert register.properties_owned_by() == []


def test_sections_and_owned_by():
    register = property_register()
    assert [p.label for p in register.properties_owned_by(pid=KARI)] == ["0301-901/12"]
    [section] = register.properties_owned_by(pid="29897549849")
    assert (section.snr, section.address.street) == (2, "Prøvegata 3 B")
    assert [p.label for p in register.neighbours(section)] == ["0301-903/7/0/1"]
    assert [p.label for p in register.properties_owned_by(orgnr="310000019")] == ["0301-905/10"]


def test_dataset_uses_demo_persons_and_organisations_and_is_symmetric():
    register = property_register()
    assert register.check_config() == []
    persons = {p.pid: p.full_name for p in synthetic_persons()}
    organisations = organisation_register()
    properties = register.properties()
    assert any(len(register.neighbours(p)) >= 3 for p in properties)
    for prop in properties:
        assert prop.kommunenummer == "0301" and prop.gnr >= 900
        for owner in prop.owners:
            if owner.pid:
                assert persons[owner.pid] == owner.name
            else:
                assert organisations.get_unit(owner.orgnr).name == owner.name
        for neighbour in register.neighbours(prop):
            assert prop in register.neighbours(neighbour)


def test_local_check_config_finds_one_sided_neighbours(tmp_path):
    data = {
        "properties": [
            {"matrikkel": "0301-1/1", "neighbours": ["0301-1/2"]},
            {"matrikkel": "0301-1/2", "neighbours": []},
        ]
    }
    (tmp_path / "properties.json").write_text(json.dumps(data))
    assert property_registers.check_config("local", data_dir=tmp_path) == [
        "properties.json: 0301-1/1 and 0301-1/2 are not mutual neighbours."
    ]


# --- The matrikkel facade over HTTP ------------------------------------------------------

ENHET = {
    "kommunenummer": "0301",
    "gardsnummer": 207,
    "bruksnummer": 45,
    "festenummer": 0,
    "seksjonsnummer": 0,
    "adresse": {"adressetekst": "Testveien 12", "postnummer": "0560", "poststed": "OSLO"},
    "eiere": [
        {"navn": "Kari Nordmann-Test", "fodselsnummer": KARI, "andel": "1/2"},
        {"navn": "Dahl Eksempelbygg AS", "organisasjonsnummer": "310000027", "andel": "1/2"},
        {"andel": "0/1"},
    ],
}
NABO = ENHET | {"bruksnummer": 44, "eiere": [{"navn": "Nora Lie-Test"}], "adresse": None}


def facade(server, **options) -> MatrikkelPropertyRegister:
    options.setdefault("timeout", 2)
    return property_registers.create("matrikkel", base_url=server.url + "/matrikkel", **options)


def test_facade_property_and_neighbours(fake_server):
    fake_server.reply("GET", "/matrikkel/matrikkelenheter/0301-207-45-0-0", json_body=ENHET)
    fake_server.reply(
        "GET", "/matrikkel/matrikkelenheter/0301-207-45-0-0/naboer", json_body={"naboer": [NABO]}
    )
    register = facade(fake_server, token="t")
    prop = register.get("0301-207/45")
    assert prop.address.street == "Testveien 12"
    assert [(o.name, o.pid, o.orgnr) for o in prop.owners] == [
        ("Kari Nordmann-Test", KARI, None),
        ("Dahl Eksempelbygg AS", None, "310000027"),
    ]
    [nabo] = register.neighbours(prop)
    assert nabo.label == "0301-207/44" and nabo.address is None
    assert fake_server.requests[0].headers["authorization"] == "Bearer t"


def test_facade_owned_by_posts_the_number(fake_server):
    fake_server.reply(
        "POST", "/matrikkel/matrikkelenheter/sok", json_body={"matrikkelenheter": [ENHET]}
    )
    [prop] = facade(fake_server).properties_owned_by(pid=KARI)
    assert prop.label == "0301-207/45"
    request = fake_server.requests[0]
    assert json.loads(request.body) == {"fodselsnummer": KARI}
    assert KARI not in request.path and not request.query
    assert "authorization" not in request.headers  # no token configured
    facade(fake_server).properties_owned_by(orgnr="310000027")
    assert json.loads(fake_server.requests[1].body) == {"organisasjonsnummer": "310000027"}
    assert facade(fake_server).properties_owned_by() == []


def test_facade_unknown_property(fake_server):
    register = facade(fake_server)
    assert register.get_property("0301", 1, 1) is None
    assert register.neighbours(Property("0301", 1, 1)) == []


@pytest.mark.parametrize(
    "body",
    [b"[]", b"{", json.dumps({"gardsnummer": "x"}).encode(), b'{"naboer": 1}'],
)
def test_facade_malformed_answers(fake_server, body):
    fake_server.reply("GET", "/matrikkel/matrikkelenheter/0301-1-1-0-0", body=body)
    fake_server.reply("GET", "/matrikkel/matrikkelenheter/0301-1-1-0-0/naboer", body=body)
    register = facade(fake_server)
    with pytest.raises(RegisterUnavailable):
        register.get_property("0301", 1, 1)
    with pytest.raises(RegisterUnavailable):
        register.neighbours(Property("0301", 1, 1))


def test_facade_timeout(fake_server):
    fake_server.reply("GET", "/matrikkel/matrikkelenheter/0301-1-1-0-0", json_body=ENHET, delay=1.5)
    with pytest.raises(RegisterUnavailable, match="timed out"):
        facade(fake_server, timeout=0.2).get_property("0301", 1, 1)


def test_facade_check_config():
    assert property_registers.check_config("matrikkel", base_url="") == [
        "IKTIPET_MATRIKKEL_URL is not set (URL of the matrikkel facade)."
    ]
    assert property_registers.check_config("matrikkel", base_url="https://m.example") == []


@override_settings(PROPERTY_REGISTER="matrikkel", MATRIKKEL_URL="https://m.example")
def test_setting_selects_the_facade():
    assert isinstance(property_register(), MatrikkelPropertyRegister)
