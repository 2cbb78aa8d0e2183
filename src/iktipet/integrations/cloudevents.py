"""A domain event as a CloudEvents 1.0 structured JSON event: ids and links, never a
fødselsnummer (the outbox's rule, enforced again here)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from iktipet.core.models import DomainEvent

#: Keys that could hold a personal identity number: dropped from ``data`` whatever wrote it.
NEVER_SENT = {"pid", "fnr", "fodselsnummer", "fødselsnummer", "ssn", "national_id"}


def _links(subject: str) -> dict[str, str]:
    base = settings.BASE_URL.rstrip("/") + "/api/v1"
    kind, _sep, ident = subject.partition("/")
    if kind == "cases" and ident:
        return {"case": f"{base}/cases/{ident}", "timeline": f"{base}/cases/{ident}/timeline"}
    return {}


def to_cloudevent(event: DomainEvent, *, sequence: int | None = None) -> dict[str, Any]:
    data = {k: v for k, v in (event.data or {}).items() if k.lower() not in NEVER_SENT}
    envelope: dict[str, Any] = {
        "specversion": "1.0",
        "id": str(event.id),
        "source": event.source,
        "type": event.type,
        "subject": event.subject,
        "time": event.occurred_at.isoformat(),
        "datacontenttype": "application/json",
        "data": {**data, "links": _links(event.subject)},
    }
    if sequence is not None:
        # CloudEvents' sequence extension: a string, compared as the integer it holds.
        envelope["sequence"] = str(sequence)
        envelope["sequencetype"] = "Integer"
    return envelope
