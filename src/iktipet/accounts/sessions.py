"""What a login keeps in the session, and the limits on how long it lasts.

ID-porten's SSO session lasts 30 minutes idle and at most 120 minutes; ours follows suit
(``SESSION_IDLE_SECONDS`` and ``SESSION_ABSOLUTE_SECONDS`` in settings).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

from iktipet.accounts import pid as crypto
from iktipet.accounts.oidc.flow import PendingLogin

PENDING = "accounts.pending"
AUTH = "accounts.auth"
LAST_SEEN = "accounts.last_seen"
ID_TOKEN = "accounts.id_token"  # noqa: S105 (a session key name, not a secret)
PARTY = "accounts.party"

#: Several tabs may start a login at once; more than this and the oldest is forgotten.
MAX_PENDING = 5
#: Write the last-seen time at most this often: not a session save on every request. A short
#: idle limit shortens it (see :func:`touch_interval`).
TOUCH_INTERVAL = 60
_ID_TOKEN_AAD = b"iktipet:id_token:v1"


def idle_seconds() -> int:
    return int(settings.SESSION_IDLE_SECONDS)


def absolute_seconds() -> int:
    return int(settings.SESSION_ABSOLUTE_SECONDS)


def now() -> float:
    return time.time()


@dataclass(frozen=True)
class LoginInfo:
    """How the person in this session logged in."""

    provider: str
    level: str | None
    at: float
    issuer: str
    sid: str


def remember_pending(session: SessionBase, pending: PendingLogin) -> None:
    entries: dict[str, Any] = dict(session.get(PENDING, {}))
    entries[pending.state] = pending.as_dict()
    newest = sorted(entries.items(), key=lambda item: item[1]["started_at"])[-MAX_PENDING:]
    session[PENDING] = dict(newest)


def take_pending(session: SessionBase, state: str) -> PendingLogin | None:
    """The pending login for ``state``, removed so a second callback with it fails."""
    entries: dict[str, Any] = dict(session.get(PENDING, {}))
    data = entries.pop(state, None) if state else None
    session[PENDING] = entries
    if not isinstance(data, dict):
        return None
    try:
        return PendingLogin.from_dict(data)
    except TypeError:
        return None


def store_login(session: SessionBase, info: LoginInfo, id_token: str) -> None:
    session[AUTH] = {
        "provider": info.provider,
        "level": info.level,
        "at": info.at,
        "issuer": info.issuer,
        "sid": info.sid,
    }
    session[LAST_SEEN] = info.at
    # The id_token carries the pid: encrypted, so a dump of the session table shows neither.
    session[ID_TOKEN] = crypto.encrypt(id_token, aad=_ID_TOKEN_AAD)
    # The cookie and the stored session end at the absolute limit, however active the user.
    session.set_expiry(
        datetime.fromtimestamp(info.at, tz=UTC) + timedelta(seconds=absolute_seconds())
    )


def login_info(session: SessionBase) -> LoginInfo | None:
    data = session.get(AUTH)
    if not isinstance(data, dict):
        return None
    try:
        return LoginInfo(**data)
    except TypeError:
        return None


def id_token(session: SessionBase) -> str:
    value = session.get(ID_TOKEN)
    if not isinstance(value, str):
        return ""
    try:
        return crypto.decrypt(value, aad=_ID_TOKEN_AAD)
    except crypto.PidDecryptionError:
        return ""


def expiry_reason(session: SessionBase, at: float, info: LoginInfo) -> str | None:
    """``idle`` or ``absolute`` when the login in ``session`` (``info``: its
    :func:`login_info`, read once by the caller) has run out, else None."""
    if at - info.at > absolute_seconds():
        return "absolute"
    last_seen = session.get(LAST_SEEN, info.at)
    if not isinstance(last_seen, int | float) or at - last_seen > idle_seconds():
        return "idle"
    return None


def touch_interval() -> float:
    """How old the stored last-seen time may be before a request writes it again.

    The promise: a person active at least every N/2 minutes is never logged out by an idle
    limit of N. A request that leaves last-seen alone comes less than this interval after the
    last write, and the next request at most N/2 after it, so the idle check sees less than
    interval + N/2, which is within N exactly when the interval is at most N/2. A fixed 60
    seconds broke that for a one-minute limit (requests every 29 s: written at 0, not at 29
    or 58, logged out at 87).
    """
    return min(TOUCH_INTERVAL, idle_seconds() / 2)


def touch(session: SessionBase, at: float) -> None:
    last_seen = session.get(LAST_SEEN)
    if not isinstance(last_seen, int | float) or at - last_seen >= touch_interval():
        session[LAST_SEEN] = at


def start_clock(session: SessionBase, at: float) -> LoginInfo:
    """Timeouts for a session that was logged in without our callback (tests, shell)."""
    info = LoginInfo(provider="", level=None, at=at, issuer="", sid="")
    session[AUTH] = {"provider": "", "level": None, "at": at, "issuer": "", "sid": ""}
    session[LAST_SEEN] = at
    return info
