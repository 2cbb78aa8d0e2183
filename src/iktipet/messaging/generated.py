"""Files made at send time for a notification (a calendar file, say), never stored.

A notification keeps only a reference, ``"<kind>:<key>"`` (``booking.ics:<uuid>``), so no
personal data sits in the queue; the worker asks the renderer registered for ``kind`` to
turn the key into bytes when it sends the email. The file therefore shows the object as it
is when the notice goes out: a late notice never brings back what was changed since.
An app registers its renderer in its ``AppConfig.ready``::

    register_renderer("booking.ics", booking_attachment)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GeneratedFile:
    filename: str
    content: bytes
    mimetype: str  # "text/calendar"
    params: dict[str, str] = field(default_factory=dict)  # {"method": "REQUEST"}


Renderer = Callable[[str], GeneratedFile | None]

_renderers: dict[str, Renderer] = {}
_KIND = re.compile(r"^[a-z][a-z0-9_.-]{0,49}$")
# A key names an object (a UUID, a number): never a fødselsnummer or free text.
_KEY = re.compile(r"^[A-Za-z0-9-]{1,100}$")
_PID_LIKE = re.compile(r"(?<![0-9A-Fa-f])\d{11}(?![0-9A-Fa-f])")


def register_renderer(kind: str, renderer: Renderer) -> None:
    if not _KIND.match(kind):
        raise ValueError(f"Attachment kind {kind!r} must be lower-case letters, digits, ._-")
    if _renderers.get(kind, renderer) is not renderer:
        raise ValueError(f"Attachment kind {kind!r} is already registered.")
    _renderers[kind] = renderer


def reference(kind: str, key: object) -> str:
    """The reference a notification stores; ValueError for an unknown kind or a bad key."""
    text = str(key)
    if kind not in _renderers:
        raise ValueError(f"No attachment renderer for {kind!r} (known: {sorted(_renderers)}).")
    if not _KEY.match(text) or _PID_LIKE.search(text):
        raise ValueError("An attachment key is an object's id: letters, digits and '-'.")
    return f"{kind}:{text}"


def check_reference(ref: str) -> str:
    kind, sep, key = ref.partition(":")
    if not sep:
        raise ValueError(f"An attachment reference is '<kind>:<key>', not {ref!r}.")
    return reference(kind, key)


def render(ref: str) -> list[GeneratedFile]:
    """The files for ``ref`` (none for an empty reference or an object gone since).

    An unknown kind (an app removed after the notice was queued) sends the notice without
    the file rather than never: the text matters more than the attachment.
    """
    if not ref:
        return []
    kind, _sep, key = ref.partition(":")
    renderer = _renderers.get(kind)
    if renderer is None:
        logger.warning("no renderer for a notification attachment", extra={"kind": kind})
        return []
    made = renderer(key)
    return [made] if made is not None else []
