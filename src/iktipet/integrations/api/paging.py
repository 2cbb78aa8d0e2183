"""Opaque cursors: ``(timestamp, uuid)`` pairs in URL-safe base64."""

from __future__ import annotations

import base64
import datetime as dt
import uuid

from django.utils.translation import gettext as _

from iktipet.integrations.api.problems import Problem

MAX_LIMIT = 200
#: Query text without control characters (ops.request_limits refuses those before the API).
PLAIN_TEXT = r"^[^\x00-\x1f\x7f-\x9f]*$"


def encode(at: dt.datetime, pk: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{pk}".encode()).decode().rstrip("=")


def decode(cursor: str | None) -> tuple[dt.datetime, uuid.UUID] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, pk = raw.split("|")
        moment = dt.datetime.fromisoformat(at)
        if moment.tzinfo is None:
            raise ValueError("naive")
        return moment, uuid.UUID(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        raise Problem(
            400, "invalid", _("Ugyldig forespørsel"), errors={"cursor": _("Ukjent markør.")}
        ) from exc
