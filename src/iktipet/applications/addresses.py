"""The addresses of an application's pages, reversed once per process and script prefix.

``reverse()`` walks the URLconf on every call (~0.02–0.03 ms of CPU each, measured
in-process); the summary asks for a step's address per section, its submit address and the
last step's, every step page for its preview address and every save for the next page.
Each address is reversed once with stand-in values, which are then replaced.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.urls import get_script_prefix, reverse

_APPLICATION = str(uuid.UUID(int=0))
_STEP = "zz-iktipet-step-zz"
#: What ``<slug:step_id>`` accepts: reverse() writes such an id as it is. Any other id
#: goes through reverse(), which refuses it as before.
_SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
_reversed: dict[tuple[str, str], str] = {}


def application_url(name: str, application_id: Any, step_id: str | None = None) -> str:
    """``reverse(f"applications:{name}", args=[application_id, step_id])`` (without
    ``step_id`` for the addresses that take only the application)."""
    if step_id is not None and not _SLUG.match(step_id):
        return reverse(f"applications:{name}", args=[application_id, step_id])
    key = (get_script_prefix(), name)
    found = _reversed.get(key)
    if found is None:
        args = [_APPLICATION] if step_id is None else [_APPLICATION, _STEP]
        found = _reversed[key] = reverse(f"applications:{name}", args=args)
    # A UUID as it is (the pages pass their application's); any other value parsed as one.
    if type(application_id) is not uuid.UUID:
        application_id = uuid.UUID(str(application_id))
    url = found.replace(_APPLICATION, str(application_id))
    return url if step_id is None else url.replace(_STEP, step_id)
