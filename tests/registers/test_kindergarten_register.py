"""The synthetic kindergarten register."""

from __future__ import annotations

import json

from iktipet.registers.kindergartens import (
    MUNICIPAL,
    PRIVATE,
    kindergarten_register,
    kindergarten_registers,
)


def test_oslo_kindergartens():
    register = kindergarten_register()
    kindergartens = register.list_kindergartens("0301")
    assert len(kindergartens) == 15
    assert [kg.bydel for kg in kindergartens] == sorted(kg.bydel for kg in kindergartens)
    assert {kg.owner for kg in kindergartens} == {MUNICIPAL, PRIVATE}
    assert len({kg.id for kg in kindergartens}) == 15
    assert register.list_kindergartens("4601") == []
    assert register.check_config() == []


def test_get_and_ages():
    register = kindergarten_register()
    testlia = register.get("bhg-001")
    assert testlia.name == "Barnehagen Testlia"
    assert (testlia.bydel, testlia.bydel_name) == ("04", "St. Hanshaugen")
    assert testlia.address.one_line == "Testveien 30, 0560 OSLO"
    assert testlia.is_municipal and testlia.accepts_age(0) and testlia.accepts_age(5)
    assert not testlia.accepts_age(6)
    big_only = register.get("bhg-003")
    assert big_only.age_groups == ("3-5",)
    assert not big_only.accepts_age(1) and big_only.accepts_age(3)
    assert register.get("bhg-999") is None


def test_check_config_rejects_bad_rows(tmp_path):
    row = {
        "id": "a",
        "name": "X",
        "kommunenummer": "0301",
        "address": {"street": "S 1", "postnummer": "0001", "poststed": "OSLO"},
        "owner": "kommunal",
        "age_groups": ["0-2"],
    }
    path = tmp_path / "kindergartens.json"
    path.write_text(json.dumps({"kindergartens": [row, row]}))
    assert kindergarten_registers.check_config("local", data_dir=tmp_path) == [
        "kindergartens.json: ids are not unique."
    ]
    path.write_text(json.dumps({"kindergartens": [row | {"owner": "stiftelse"}]}))
    assert "bad owner" in kindergarten_registers.check_config("local", data_dir=tmp_path)[0]
    path.write_text(json.dumps({"kindergartens": [row | {"age_groups": ["6-9"]}]}))
    assert "age groups" in kindergarten_registers.check_config("local", data_dir=tmp_path)[0]
