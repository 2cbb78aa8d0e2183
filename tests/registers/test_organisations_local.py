"""The local organisation register and its synthetic dataset."""

from __future__ import annotations

import datetime

from django.test import override_settings

from iktipet.core.identifiers import validate_orgnr
from iktipet.registers.brreg.plugin import BrregOrganisationRegister
from iktipet.registers.organisations import (
    LocalOrganisationRegister,
    organisation_register,
    organisation_registers,
)
from iktipet.registers.population import synthetic_persons

KARI, PER, INGRID, OLA = "17819049912", "11918249879", "29897549849", "03868849974"


def names(units):
    return [unit.name for unit in units]


def test_kari_is_daglig_leder_of_the_restaurant_only():
    register = organisation_register()
    assert isinstance(register, LocalOrganisationRegister)
    [restaurant] = register.parties_for_person(KARI, None, "")
    assert restaurant.name == "Testgrillen Restaurant AS"
    assert restaurant.industry_code == "56.101"  # restaurant: skjenkebevilling
    assert restaurant.active
    # Kari is also DAGL of a deleted unit, which must not be offered.
    deleted = register.get_unit("310000051")
    assert deleted.deleted and deleted.deleted_date == datetime.date(2024, 5, 31)


def test_per_leads_two_units_one_bankrupt():
    units = organisation_register().parties_for_person(PER, None, "")
    assert names(units) == ["Dahl Eksempelbygg AS", "Konkursbo Eksempelhandel AS"]
    assert [unit.bankrupt for unit in units] == [False, True]


def test_ingrid_owns_an_enkeltpersonforetak():
    [unit] = organisation_register().parties_for_person(INGRID, None, "")
    assert (unit.form_code, unit.form_description) == ("ENK", "Enkeltpersonforetak")


def test_role_codes_filter():
    register = organisation_register()
    assert register.parties_for_person(OLA, None, "") == []
    assert names(register.parties_for_person(OLA, None, "", ["MEDL"])) == ["Dahl Eksempelbygg AS"]
    assert names(register.parties_for_person(OLA, None, "", ["STYR"])) == ["Dahl Eksempelbygg AS"]


def test_roles_and_units():
    register = organisation_register()
    roles = register.roles("310 000 019")
    assert [(r.code, r.name) for r in roles] == [
        ("DAGL", "Kari Nordmann-Test"),
        ("LEDE", "Aksel Lie-Test"),
        ("MEDL", "Nora Lie-Test"),
    ]
    assert register.get_unit("310000027").postal_address.one_line == (
        "Postboks 1234 Testsentrum, 0107 OSLO"
    )
    assert register.get_unit("999999999") is None
    assert register.get_unit("garbage") is None
    assert register.roles("garbage") == []


def test_dataset_is_synthetic_and_consistent():
    register = organisation_register()
    persons = {person.pid: person for person in synthetic_persons()}
    units = register.units()
    assert len(units) >= 4
    for unit in units:
        assert validate_orgnr(unit.orgnr) == unit.orgnr
        assert unit.orgnr.startswith("3"), "synthetic orgnrs start with 3: never a real unit"
        for role in register.roles(unit.orgnr):
            person = persons[role.pid]
            assert role.name == person.full_name
            assert role.birth_date == person.birth_date
    assert register.check_config() == []


def test_search():
    register = organisation_register()
    # Deleted units are not found, as in Enhetsregisteret's search.
    assert names(register.search("test")) == [
        "Testgrillen Restaurant AS",
        "Bakke Prøvesøm Ingrid Bakke-Test",
    ]
    assert names(register.search("AS", kommunenummer="0301", limit=2)) == [
        "Testgrillen Restaurant AS",
        "Dahl Eksempelbygg AS",
    ]
    assert register.search("AS", kommunenummer="4601") == []


def test_local_check_config_reports_bad_orgnr(tmp_path):
    (tmp_path / "organisations.json").write_text(
        '{"organisations": [{"orgnr": "123", "name": "X"}]}'
    )
    assert organisation_registers.check_config("local", data_dir=tmp_path) == [
        "organisations.json: '123' is not a valid orgnr."
    ]


@override_settings(ORGANISATION_REGISTER="brreg", BRREG_CANDIDATE_ORGNRS=["310000019"])
def test_setting_selects_brreg():
    register = organisation_register()
    assert isinstance(register, BrregOrganisationRegister)
    assert register.candidate_orgnrs == ["310000019"]
