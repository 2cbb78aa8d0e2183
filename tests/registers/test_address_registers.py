"""Address search: the synthetic dataset and Geonorge's adresser/v1/sok."""

from __future__ import annotations

import pytest
from django.test import override_settings

from iktipet.registers.addresses import address_register, address_registers
from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.geonorge.plugin import GeonorgeAddressRegister
from iktipet.registers.population import synthetic_persons

GEONORGE_ANSWER = {
    "metadata": {
        "totaltAntallTreff": 2,
        "side": 0,
        "treffPerSide": 10,
        "viserFra": 0,
        "viserTil": 2,
        "sokeStreng": "sok=Testveien 1*",
        "asciiKompatibel": True,
    },
    "adresser": [
        {
            "adressetekst": "Testveien 12 A",
            "adressenavn": "Testveien",
            "adressekode": 12345,
            "nummer": 12,
            "bokstav": "A",
            "kommunenummer": "0301",
            "kommunenavn": "OSLO",
            "gardsnummer": 901,
            "bruksnummer": 12,
            "festenummer": 0,
            "postnummer": "0560",
            "poststed": "OSLO",
            "representasjonspunkt": {"epsg": "EPSG:4258", "lat": 59.92, "lon": 10.77},
            "oppdateringsdato": "2026-01-01T00:00:00",
        },
        {"adressenavn": "Uten tekst"},
        "garbage",
    ],
}


def test_local_search():
    register = address_register()
    assert [a.one_line for a in register.search("Testveien 1")] == [
        "Testveien 10, 0560 OSLO",
        "Testveien 11, 0560 OSLO",
        "Testveien 12, 0560 OSLO",
        "Testveien 14, 0560 OSLO",
    ]
    assert [a.text for a in register.search("prøvegata 3 b")] == ["Prøvegata 3 B"]
    assert [a.text for a in register.search("0460")] == [
        "Prøvegata 3 A",
        "Prøvegata 3 B",
        "Prøvegata 20",
    ]
    assert register.search("Testveien", limit=2)[-1].text == "Testveien 11"
    assert register.search("Syntetisk", kommunenummer="0301") == []
    [langhus] = register.search("Syntetisk", kommunenummer="3207")
    assert (langhus.poststed, langhus.kommunenavn) == ("LANGHUS", "NORDRE FOLLO")
    assert register.search("") == register.search("  ,. ") == []
    assert register.search("Testveien", limit=-5) == []


def test_local_dataset_has_every_demo_address():
    register = address_register()
    assert register.check_config() == []
    known = {(a.text, a.postnummer) for a in register.addresses()}
    for person in synthetic_persons():
        assert (person.address.street, person.address.postnummer) in known
    home = register.search("Testveien 12")[0]
    assert (home.gnr, home.bnr) == (901, 12)
    assert home.lat is not None and home.lon is not None


def geonorge(server, **options) -> GeonorgeAddressRegister:
    options.setdefault("timeout", 2)
    return address_registers.create("geonorge", base_url=server.url + "/adresser/v1", **options)


def test_geonorge_search(fake_server):
    fake_server.reply("GET", "/adresser/v1/sok", json_body=GEONORGE_ANSWER)
    [address] = geonorge(fake_server).search("  Testveien   1 ", kommunenummer="0301", limit=5)
    assert address.one_line == "Testveien 12 A, 0560 OSLO"
    assert (address.number, address.letter, address.gnr, address.bnr) == (12, "A", 901, 12)
    assert (address.lat, address.lon) == (59.92, 10.77)
    assert fake_server.requests[0].query == {
        "sok": ["Testveien 1*"],
        "treffPerSide": ["5"],
        "side": ["0"],
        "utkoordsys": ["4258"],
        "asciiKompatibel": ["true"],
        "kommunenummer": ["0301"],
    }


def test_geonorge_limits_and_empty_queries(fake_server):
    fake_server.reply("GET", "/adresser/v1/sok", json_body={"adresser": []})
    register = geonorge(fake_server)
    assert register.search("") == []
    assert register.search("x", limit=0) == []
    assert fake_server.requests == []
    assert register.search("x*", limit=1000) == []
    assert fake_server.requests[0].query["treffPerSide"] == ["100"]
    assert fake_server.requests[0].query["sok"] == ["x*"]


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, b"{}"), (200, b"nope"), (200, b'{"metadata": {}}'), (400, b'{"message": "bad"}')],
)
def test_geonorge_failures(fake_server, status, body):
    fake_server.reply("GET", "/adresser/v1/sok", status=status, body=body)
    with pytest.raises(RegisterUnavailable) as info:
        geonorge(fake_server).search("Testveien")
    assert info.value.register == "geonorge"


def test_geonorge_timeout(fake_server):
    fake_server.reply("GET", "/adresser/v1/sok", json_body=GEONORGE_ANSWER, delay=1.5)
    with pytest.raises(RegisterUnavailable, match="timed out"):
        geonorge(fake_server, timeout=0.2).search("Testveien")


@override_settings(ADDRESS_REGISTER="geonorge")
def test_setting_selects_geonorge():
    register = address_register()
    assert isinstance(register, GeonorgeAddressRegister)
    assert register.base_url == "https://ws.geonorge.no/adresser/v1"
    assert register.check_config() == []
