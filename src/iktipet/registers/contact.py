"""Contact register (Kontakt- og reservasjonsregisteret, KRR): may we notify digitally, where.

A citizen who has reserved (``reserved``) gets paper. Contact data not updated or verified
for 18 months must not be used to notify of an enkeltvedtak (eForvaltningsforskriften § 32);
KRR folds that and the reservation into ``varslingsstatus`` (``can_notify``).

``contact_register()`` gives the configured adapter (``IKTIPET_CONTACT_REGISTER``): ``local``
reads the ``contact`` field of ``demo/persons.json``; ``krr`` calls KRR's REST API (see
:mod:`iktipet.registers.krr`).
"""

from __future__ import annotations

import calendar
import datetime
from abc import abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from iktipet.core.registry import Registry
from iktipet.registers.base import RegisterPlugin
from iktipet.registers.localdata import dataset_problems, load_dataset
from iktipet.registers.population import PERSONS_FILE

ACTIVE, DELETED, NOT_REGISTERED = "AKTIV", "SLETTET", "IKKE_REGISTRERT"
FRESHNESS_MONTHS = 18


@dataclass(frozen=True)
class ContactInfo:
    pid: str
    status: str  # ACTIVE, DELETED or NOT_REGISTERED
    reserved: bool  # reservasjon JA: no digital communication
    can_notify: bool  # varslingsstatus KAN_VARSLES
    email: str | None = None
    mobile: str | None = None
    language: str | None = None  # spraak: "nb", "nn", "en", "se"
    email_verified: datetime.datetime | None = None
    mobile_verified: datetime.datetime | None = None

    @property
    def digital(self) -> bool:
        """Whether we may send this person notices digitally at all."""
        return self.status == ACTIVE and not self.reserved and self.can_notify


class BaseContactRegister(RegisterPlugin):
    @abstractmethod
    def get_contacts(self, pids: Iterable[str]) -> dict[str, ContactInfo]:
        """Contact info for each known number (unknown numbers are left out)."""

    def get_contact(self, pid: str) -> ContactInfo | None:
        return self.get_contacts([pid]).get(pid)


contact_registers: Registry[BaseContactRegister] = Registry(
    "contact register", BaseContactRegister, setting="CONTACT_REGISTER"
)


def months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    """The same time ``months`` earlier; 31 August minus 18 months is 28/29 February."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def parse_timestamp(value: Any) -> datetime.datetime | None:
    """KRR writes offsets like ``+02`` (no minutes); Python 3.11 reads that."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)


@contact_registers.register("local")
class LocalContactRegister(BaseContactRegister):
    """The ``contact`` of each synthetic person: ``null`` means not registered in KRR."""

    label = "Synthetic contact data from the demo dataset"

    def __init__(
        self,
        *,
        data_dir: Path | str,
        now: Callable[[], datetime.datetime] = timezone.now,
    ) -> None:
        self.data_dir = Path(data_dir)
        self._now = now

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {"data_dir": conf.DEMO_DATA_DIR}

    def _contact(self, pid: str, data: dict[str, Any] | None) -> ContactInfo:
        if not data:
            return ContactInfo(pid=pid, status=NOT_REGISTERED, reserved=False, can_notify=False)
        verified = parse_timestamp(data.get("last_verified"))
        fresh = verified is not None and verified >= months_before(self._now(), FRESHNESS_MONTHS)
        reserved = bool(data.get("reserved"))
        return ContactInfo(
            pid=pid,
            status=ACTIVE,
            reserved=reserved,
            can_notify=fresh and not reserved,
            email=data.get("email") or None,
            mobile=data.get("mobile") or None,
            language=data.get("language") or None,
            email_verified=verified,
            mobile_verified=verified,
        )

    def get_contacts(self, pids: Iterable[str]) -> dict[str, ContactInfo]:
        wanted = set(pids)
        items = load_dataset(self.data_dir, PERSONS_FILE, "persons")
        return {
            item["pid"]: self._contact(item["pid"], item.get("contact"))
            for item in items
            if item.get("pid") in wanted
        }

    def check_config(self) -> list[str]:
        return dataset_problems(self.data_dir, PERSONS_FILE, "persons")


def contact_register() -> BaseContactRegister:
    """The configured contact register (``IKTIPET_CONTACT_REGISTER``, default local)."""
    return contact_registers.configured()


# Plugins that live in their own package register themselves on import.
from iktipet.registers.krr import plugin as _krr  # noqa: E402, F401
