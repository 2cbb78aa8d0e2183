"""Session stores (``SESSION_ENGINE``): Django's, with the session's read compiled once.

Every logged-in page reads its session first. Django's ``db`` store builds that SELECT with
the ORM on each request: measured in-process here, 0.2–0.5 ms of CPU, of which running the
SQL is ~0.015 ms. The stores in ``db`` and ``cached_db`` run the same SQL, compiled once per
database connection (``core.rows``), and build the same ``Session`` row from it; writes,
expiry and the cache in front stay Django's.

The stored data are signed (an HMAC over base64 of JSON): checking and decoding them took
~8 times as long as reading the JSON alone (measured on a citizen's session). A session
read again with the very same data, already checked, is read from its JSON (a bounded
memory per process, emptied when a setting such as the secret changes).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.sessions.models import Session
from django.core.signals import setting_changed
from django.core.signing import JSONSerializer
from django.dispatch import receiver
from django.utils import timezone

from iktipet.core import rows

#: Session data (as stored, signature included) already checked: their JSON.
_checked: dict[tuple[str, bytes | str], str] = {}
_MAX_CHECKED = 1000


@receiver(setting_changed)
def _forget_checked(**_: Any) -> None:
    _checked.clear()


def read_session(model: type[Session], session_key: str | None) -> Session | None:
    """The unexpired session with this key, or None: what Django's store reads with
    ``model.objects.get(session_key=…, expire_date__gt=now)``."""
    if not session_key:
        return None
    now = timezone.now()
    expire_date = model._meta.get_field("expire_date")
    return rows.first(
        model,
        (model, "unexpired"),
        # Two filters, in this order: the parameters are (key, now).
        lambda using: (
            model.objects.using(using).filter(session_key=session_key).filter(expire_date__gt=now)
        ),
        lambda connection: [session_key, expire_date.get_db_prep_value(now, connection)],
    )


class CompiledRead:
    """Mixed into Django's ``db`` and ``cached_db`` stores: their read, compiled once."""

    model: type[Session]
    session_key: str | None
    _session_key: str | None

    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        key = (self.key_salt, session_data)  # type: ignore[attr-defined]
        known = _checked.get(key)
        if known is not None:
            found: dict[str, Any] = json.loads(known)
            return found
        decoded: dict[str, Any] = super().decode(session_data)  # type: ignore[misc]
        if decoded and self.serializer is JSONSerializer:  # type: ignore[attr-defined]
            if len(_checked) >= _MAX_CHECKED:
                _checked.clear()
            _checked[key] = json.dumps(decoded)
        return decoded

    def _get_session_from_db(self) -> Session | None:
        found = read_session(self.model, self.session_key)
        if found is None:
            self._session_key = None  # as Django's store: a new key on the next save
        return found
