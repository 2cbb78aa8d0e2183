"""Contact register: local KRR stand-in and the KRR REST client."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import override_settings

from iktipet.registers.contact import (
    ACTIVE,
    NOT_REGISTERED,
    contact_register,
    contact_registers,
    months_before,
)
from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.krr.plugin import KrrContactRegister

KARI, EMMA, AKSEL, NORA = "17819049912", "14832699927", "08846949934", "24927149989"
NOW = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.UTC)


def local(now=NOW):
    return contact_registers.create("local", data_dir=_demo_dir(), now=lambda: now)


def _demo_dir():
    from django.conf import settings

    return settings.DEMO_DATA_DIR


def test_months_before():
    assert months_before(NOW, 18) == datetime.datetime(2025, 5, 27, 12, 0, tzinfo=datetime.UTC)
    end_of_august = datetime.datetime(2026, 8, 31, tzinfo=datetime.UTC)
    assert months_before(end_of_august, 18) == datetime.datetime(2025, 2, 28, tzinfo=datetime.UTC)
    assert months_before(end_of_august, 30).date() == datetime.date(2024, 2, 29)


def test_local_contact_of_an_active_person():
    kari = local().get_contact(KARI)
    assert (kari.status, kari.reserved, kari.can_notify, kari.digital) == (
        ACTIVE,
        False,
        True,
        True,
    )
    assert kari.email == "kari.nordmann@demo.iktipet.invalid"
    assert kari.mobile == "+4740000001"
    assert kari.language == "nb"
    assert kari.email_verified.date() == datetime.date(2026, 2, 10)


def test_reserved_and_stale_and_unregistered():
    register = local()
    aksel, nora, emma = (register.get_contact(pid) for pid in (AKSEL, NORA, EMMA))
    assert aksel.reserved and not aksel.can_notify and not aksel.digital
    assert not nora.reserved and not nora.can_notify  # verified more than 18 months ago
    assert (emma.status, emma.email, emma.digital) == (NOT_REGISTERED, None, False)
    assert register.get_contact("00000000000") is None


def test_freshness_follows_the_clock():
    nora_verified = datetime.datetime(
        2024, 3, 10, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
    )
    assert local(now=nora_verified + datetime.timedelta(days=500)).get_contact(NORA).can_notify
    assert not local(now=nora_verified + datetime.timedelta(days=560)).get_contact(NORA).can_notify


def test_get_contacts_in_bulk():
    contacts = contact_register().get_contacts([KARI, AKSEL, "00000000000"])
    assert sorted(contacts) == sorted([KARI, AKSEL])


# --- KRR over HTTP ------------------------------------------------------------------------

KRR_PERSON = {
    "personidentifikator": KARI,
    "reservasjon": "NEI",
    "status": "AKTIV",
    "varslingsstatus": "KAN_VARSLES",
    "kontaktinformasjon": {
        "epostadresse": "kari@example.invalid",
        "epostadresse_oppdatert": "2014-03-20T10:44:39+01",
        "epostadresse_sist_verifisert": "2026-07-31T23:19:02+02",
        "mobiltelefonnummer": "40000001",
        "mobiltelefonnummer_sist_verifisert": "2026-07-31T23:19:02+02",
    },
    "spraak": "nb",
}


def krr(server, **options) -> KrrContactRegister:
    options.setdefault("token", "krr-token")
    options.setdefault("timeout", 2)
    return contact_registers.create("krr", base_url=server.url + "/rest/v2", **options)


def test_krr_lookup(fake_server):
    reserved = KRR_PERSON | {
        "personidentifikator": AKSEL,
        "reservasjon": "JA",
        "varslingsstatus": "KAN_IKKE_VARSLES",
    }
    fake_server.reply(
        "POST", "/rest/v2/personer", json_body={"personer": [KRR_PERSON, reserved, {"x": 1}]}
    )
    contacts = krr(fake_server).get_contacts([AKSEL, KARI, KARI, "bad"])
    kari, aksel = contacts[KARI], contacts[AKSEL]
    assert kari.digital and kari.mobile == "40000001" and kari.language == "nb"
    assert kari.email_verified == datetime.datetime(
        2026, 7, 31, 23, 19, 2, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
    )
    assert aksel.reserved and not aksel.digital
    request = fake_server.requests[0]
    assert json.loads(request.body) == {"personidentifikatorer": [AKSEL, KARI]}
    assert request.headers["authorization"] == "Bearer krr-token"


def test_krr_missing_fields_count_against_digital_contact(fake_server):
    fake_server.reply(
        "POST",
        "/rest/v2/personer",
        json_body={"personer": [{"personidentifikator": KARI, "status": "UKJENT"}]},
    )
    kari = krr(fake_server).get_contact(KARI)
    assert (kari.status, kari.reserved, kari.can_notify, kari.email) == (
        NOT_REGISTERED,
        True,
        False,
        None,
    )


def test_krr_batches_of_at_most_1000(fake_server):
    fake_server.reply("POST", "/rest/v2/personer", json_body={"personer": []})
    pids = [f"{n:011d}" for n in range(2001)]
    assert krr(fake_server).get_contacts(pids) == {}
    sizes = [len(json.loads(r.body)["personidentifikatorer"]) for r in fake_server.requests]
    assert sizes == [1000, 1000, 1]


def test_krr_no_numbers_no_request(fake_server):
    assert krr(fake_server).get_contacts([]) == {}
    assert krr(fake_server).get_contacts(["abc"]) == {}
    assert fake_server.requests == []


@pytest.mark.parametrize(
    ("status", "body"),
    [(401, b'{"error": "invalid_token"}'), (500, b""), (200, b"{}"), (200, b"<xml/>")],
)
def test_krr_failures(fake_server, status, body):
    fake_server.reply("POST", "/rest/v2/personer", status=status, body=body)
    with pytest.raises(RegisterUnavailable) as info:
        krr(fake_server).get_contact(KARI)
    assert KARI not in str(info.value)


def test_krr_without_token(fake_server):
    with pytest.raises(RegisterUnavailable, match="no access token"):
        krr(fake_server, token="").get_contact(KARI)


def test_krr_check_config(tmp_path):
    assert contact_registers.check_config("krr") == [
        "IKTIPET_KRR_TOKEN_FILE is not set: the register needs a bearer token."
    ]
    empty = tmp_path / "token"
    empty.write_text("")
    assert (
        "is empty or unreadable" in contact_registers.check_config("krr", token_file=str(empty))[0]
    )
    assert "does not exist" in contact_registers.check_config("krr", token_file="/nope")[0]


@override_settings(CONTACT_REGISTER="krr")
def test_setting_selects_krr():
    assert isinstance(contact_register(), KrrContactRegister)
