"""The request id of the work in hand, carried from a request into the tasks it enqueues."""

from __future__ import annotations

import contextvars
import re
import secrets

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_VALID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def current_request_id() -> str | None:
    return _request_id.get()


def new_request_id(incoming: str | None = None) -> str:
    """Accept a well-formed id from a trusted proxy, else make one."""
    if incoming and _VALID.match(incoming):
        return incoming
    return secrets.token_hex(16)  # as uuid4().hex, 32 hex digits, without the UUID object


def set_request_id(value: str | None) -> contextvars.Token[str | None]:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str | None]) -> None:
    _request_id.reset(token)
