"""Ids that come in from a URL or a form: parsed once, the same way everywhere."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.http import Http404


def uuid_or_404(value: Any) -> uuid.UUID:
    """``value`` as a UUID; a malformed id is a 404, as an unknown one is."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None


def valid_uuids(values: Iterable[Any]) -> list[uuid.UUID]:
    """The values that are UUIDs, in order; the rest left out (ids posted back by a form)."""
    found = []
    for value in values:
        try:
            found.append(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
        except (TypeError, ValueError, AttributeError):
            continue
    return found
