"""The ``krr`` contact-register plugin: KRR person → ContactInfo."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from iktipet.registers.base import TokenHttpRegister
from iktipet.registers.contact import (
    ACTIVE,
    DELETED,
    NOT_REGISTERED,
    BaseContactRegister,
    ContactInfo,
    contact_registers,
    parse_timestamp,
)
from iktipet.registers.krr.client import DEFAULT_BASE_URL, KrrClient

_STATUSES = {ACTIVE, DELETED, NOT_REGISTERED}


def contact_from_krr(item: dict[str, Any]) -> ContactInfo | None:
    pid = item.get("personidentifikator")
    if not isinstance(pid, str):
        return None
    info = (
        item.get("kontaktinformasjon") if isinstance(item.get("kontaktinformasjon"), dict) else {}
    )
    status = item.get("status") if item.get("status") in _STATUSES else NOT_REGISTERED
    # Unknown or missing values count against digital contact: paper is the safe side.
    reserved = item.get("reservasjon") != "NEI"
    return ContactInfo(
        pid=pid,
        status=status,
        reserved=reserved,
        can_notify=item.get("varslingsstatus") == "KAN_VARSLES" and not reserved,
        email=info.get("epostadresse") or None,
        mobile=info.get("mobiltelefonnummer") or None,
        language=item.get("spraak") or None,
        email_verified=parse_timestamp(info.get("epostadresse_sist_verifisert")),
        mobile_verified=parse_timestamp(info.get("mobiltelefonnummer_sist_verifisert")),
    )


@contact_registers.register("krr")
class KrrContactRegister(TokenHttpRegister[KrrClient], BaseContactRegister):
    label = "Kontakt- og reservasjonsregisteret (Digdir)"
    client_class = KrrClient
    url_setting, token_file_setting = "KRR_URL", "KRR_TOKEN_FILE"
    default_url = DEFAULT_BASE_URL

    def get_contacts(self, pids: Iterable[str]) -> dict[str, ContactInfo]:
        wanted = sorted({pid for pid in pids if len(pid) == 11 and pid.isascii() and pid.isdigit()})
        if not wanted:
            return {}
        contacts = (contact_from_krr(item) for item in self.client.personer(wanted))
        return {c.pid: c for c in contacts if c is not None and c.pid in wanted}
