"""Min side reads the fødselsnummer and the register's organisations once (issue 13): the pid
decrypted once per request and never pickled in clear, the organisations kept per process for
no longer than the right to act trusts a yes."""

from __future__ import annotations

import json
import pickle

import pytest

from iktipet.accounts import pid as pid_crypto
from iktipet.accounts import sessions
from iktipet.accounts.models import Person
from support.oidc_browser import KARI, ORG_KARI_LEADS, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari(client, rp):
    log_in(client)
    return client


def _decryptions(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = pid_crypto.decrypt_pid

    def counted(token: str) -> str:
        calls.append(token)
        return real(token)

    monkeypatch.setattr(pid_crypto, "decrypt_pid", counted)
    return calls


def test_min_side_decrypts_the_pid_once_a_request(kari, monkeypatch):
    kari.get("/min-side/")  # the register's organisations kept from here
    calls = _decryptions(monkeypatch)
    page = kari.get("/min-side/").content.decode()
    assert "178190 *****" in page and "Testgrillen Restaurant AS" in page
    assert len(calls) == 1


def test_a_person_remembers_the_pid_only_for_its_ciphertext(kari, monkeypatch):
    person = Person.objects.get()
    calls = _decryptions(monkeypatch)
    assert person.pid == KARI and person.pid == KARI and person.pid_masked == "178190 *****"
    assert len(calls) == 1
    person.set_pid("01010112345")
    assert person.pid == "01010112345"
    assert len(calls) == 2


def test_a_pickled_person_carries_no_pid_in_clear(kari):
    person = Person.objects.get()
    assert person.pid == KARI
    data = pickle.dumps(person)
    assert KARI.encode() not in data
    assert pickle.loads(data).pid == KARI


def _drop_organisation(registers, orgnr: str) -> None:
    path = registers / "organisations.json"
    data = json.loads(path.read_text())
    data["organisations"] = [u for u in data["organisations"] if u["orgnr"] != orgnr]
    path.write_text(json.dumps(data))


def test_min_side_trusts_the_registers_list_no_longer_than_the_recheck(
    kari, registers, monkeypatch, settings
):
    assert "Testgrillen Restaurant AS" in kari.get("/min-side/").content.decode()
    _drop_organisation(registers, ORG_KARI_LEADS)
    # Within the recheck period the list is the one the register gave…
    assert "Testgrillen Restaurant AS" in kari.get("/min-side/").content.decode()
    # …and after it the register is asked again.
    later = sessions.now() + settings.ACCOUNTS_PARTY_RECHECK_SECONDS + 1
    monkeypatch.setattr(sessions, "now", lambda: later)
    assert "Testgrillen Restaurant AS" not in kari.get("/min-side/").content.decode()


def test_choosing_a_party_asks_the_register_not_the_kept_list(kari, registers):
    assert "Testgrillen Restaurant AS" in kari.get("/min-side/").content.decode()
    _drop_organisation(registers, ORG_KARI_LEADS)
    response = kari.post("/velg-aktor/", {"party": ORG_KARI_LEADS})
    assert response.status_code == 400
    assert kari.session.get("accounts.party", {}).get("id") != ORG_KARI_LEADS


def test_without_a_recheck_period_nothing_is_kept(kari, registers, settings):
    settings.ACCOUNTS_PARTY_RECHECK_SECONDS = 0
    assert "Testgrillen Restaurant AS" in kari.get("/min-side/").content.decode()
    _drop_organisation(registers, ORG_KARI_LEADS)
    assert "Testgrillen Restaurant AS" not in kari.get("/min-side/").content.decode()


def test_a_failed_register_is_not_kept(kari, settings, tmp_path):
    good = settings.DEMO_DATA_DIR
    settings.DEMO_DATA_DIR = tmp_path / "missing"
    assert "Testgrillen Restaurant AS" not in kari.get("/min-side/").content.decode()
    settings.DEMO_DATA_DIR = good
    assert "Testgrillen Restaurant AS" in kari.get("/min-side/").content.decode()
