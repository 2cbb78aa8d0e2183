"""Fixtures: an OIDC provider over HTTP, the relying party pointed at it, synthetic registers."""

from __future__ import annotations

import json

import pytest

from support.oidc_browser import KARI, OLA, ORG_KARI_BOARD_MEMBER, ORG_KARI_LEADS
from support.oidc_double import OidcDouble


def _datasets(path):
    persons = {
        "persons": [
            {
                "pid": KARI,
                "given_name": "Kari",
                "family_name": "Nordmann-Test",
                "birth_date": "1990-01-17",
                "address": {
                    "street": "Testveien 12",
                    "postnummer": "0560",
                    "poststed": "OSLO",
                    "kommunenummer": "0301",
                },
            },
            {
                "pid": OLA,
                "given_name": "Ola",
                "family_name": "Nordmann-Test",
                "birth_date": "1988-06-03",
                "address": None,
            },
        ]
    }

    def unit(orgnr, name, code, group):
        return {
            "orgnr": orgnr,
            "name": name,
            "form": {"code": "AS", "description": "Aksjeselskap"},
            "roles": [
                {
                    "code": code,
                    "description": code,
                    "group": group,
                    "name": "Kari Nordmann-Test",
                    "birth_date": "1990-01-17",
                    "pid": KARI,
                }
            ],
        }

    organisations = {
        "organisations": [
            unit(ORG_KARI_LEADS, "Testgrillen Restaurant AS", "DAGL", "DAGL"),
            unit(ORG_KARI_BOARD_MEMBER, "Dahl Eksempelbygg AS", "MEDL", "STYR"),
        ]
    }
    (path / "persons.json").write_text(json.dumps(persons), encoding="utf-8")
    (path / "organisations.json").write_text(json.dumps(organisations), encoding="utf-8")


@pytest.fixture
def idp():
    double = OidcDouble().start()
    yield double
    double.stop()


@pytest.fixture
def registers(settings, tmp_path):
    """The local population and organisation registers, reading this test's own datasets."""
    settings.DEMO_DATA_DIR = tmp_path
    settings.ALLOW_SYNTHETIC_IDS = True  # the test persons have Tenor numbers
    settings.POPULATION_REGISTER = "local"
    settings.ORGANISATION_REGISTER = "local"
    _datasets(tmp_path)
    return tmp_path


@pytest.fixture
def rp(settings, idp, registers):
    """The relying party configured against ``idp`` (citizens and staff on one provider)."""
    settings.BASE_URL = "http://testserver"
    settings.OIDC_ISSUER = idp.issuer
    settings.OIDC_CLIENT_ID = "iktipet-portal"
    settings.OIDC_CLIENT_SECRET = "portal-secret"
    settings.OIDC_CLIENT_AUTH = "client_secret_post"
    settings.OIDC_CLIENT_KEY = ""
    settings.STAFF_OIDC_ISSUER = idp.issuer
    settings.STAFF_OIDC_CLIENT_ID = "iktipet-staff"
    settings.STAFF_OIDC_CLIENT_SECRET = "staff-secret"
    settings.STAFF_OIDC_ROLES_CLAIM = "roles"
    idp.add_client(
        "iktipet-portal",
        secret="portal-secret",
        redirect_uris=["http://testserver/logg-inn/callback/"],
    )
    idp.add_client(
        "iktipet-staff",
        secret="staff-secret",
        redirect_uris=["http://testserver/ansatt/logg-inn/callback/"],
    )
    return idp
