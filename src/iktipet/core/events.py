"""Domain events: one row per state change, written in the caller's transaction."""

from __future__ import annotations

from typing import Any

from iktipet.core.context import current_request_id
from iktipet.core.models import DomainEvent

#: CloudEvents ``type`` values start with this (reverse DNS of the platform).
TYPE_PREFIX = "no.iktipet."


def record_event(
    type: str, *, subject: str, source: str, agency: Any = None, data: dict[str, Any] | None = None
) -> DomainEvent:
    """Append the event ``no.iktipet.<type>`` about ``subject`` (e.g. ``cases/<uuid>``)."""
    return DomainEvent.objects.create(
        type=type if type.startswith(TYPE_PREFIX) else TYPE_PREFIX + type,
        source=source,
        subject=subject,
        agency=agency,
        data=data or {},
        request_id=current_request_id() or "",
    )
