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

import functools
import json
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.core.signing import JSONSerializer
from django.dispatch import receiver
from django.utils import timezone

from iktipet.core import rows

#: Session data (as stored, signature included) already checked: their JSON.
_checked: dict[tuple[str, bytes | str], str] = {}
_MAX_CHECKED = 1000


#: ``SESSION_MODEL``'s model, by the setting's value.
_models: dict[str, type[AbstractBaseSession]] = {}


@receiver(setting_changed)
def _forget_checked(**_: Any) -> None:
    _checked.clear()
    _models.clear()


S = TypeVar("S", bound=AbstractBaseSession)


@functools.cache
def _has_user(model: type[AbstractBaseSession]) -> bool:
    return any(field.name == "user" for field in model._meta.concrete_fields)


def read_session(model: type[S], session_key: str | None) -> S | None:
    """The unexpired session with this key, or None: what Django's store reads with
    ``model.objects.get(session_key=…, expire_date__gt=now)``; a model with a ``user`` is
    read with its user (a LEFT JOIN: None when there is none)."""
    if not session_key:
        return None
    now = timezone.now()
    expire_date: Any = model._meta.get_field("expire_date")
    joined = _has_user(model)

    def build(using: str) -> Any:
        found = model.objects.using(using)
        if joined:
            found = found.select_related("user")
        # Two filters, in this order: the parameters are (key, now).
        return found.filter(session_key=session_key).filter(expire_date__gt=now)

    return rows.first(
        model,
        (model, "unexpired"),
        build,
        lambda connection: [session_key, expire_date.get_db_prep_value(now, connection)],
    )


def user_id(data: dict[str, Any]) -> Any:
    """The primary key of the user logged in with these session data (as Django's
    ``_get_user_session_key`` converts it), or None."""
    value = data.get(SESSION_KEY)
    if value is None:
        return None
    field = get_user_model()._meta.pk
    assert field is not None
    try:
        return field.to_python(value)
    except ValidationError:
        return None


class CompiledRead:
    """Mixed into Django's ``db`` and ``cached_db`` stores: their read, compiled once, of
    the ``SESSION_MODEL`` row with its user."""

    model: type[AbstractBaseSession]
    session_key: str | None
    _session_key: str | None
    #: The user read with the row (None: not read, or none; a session read from the cache).
    joined_user: Any = None

    @classmethod
    def get_model_class(cls) -> type[AbstractBaseSession]:
        label = settings.SESSION_MODEL
        model = _models.get(label)
        if model is None:
            model = _models[label] = apps.get_model(label)
        return model

    def create_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        instance: AbstractBaseSession = super().create_model_instance(data)  # type: ignore[misc]
        if _has_user(self.model):
            instance.user_id = user_id(data)  # type: ignore[attr-defined]
        return instance

    async def acreate_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        instance: AbstractBaseSession = await super().acreate_model_instance(data)  # type: ignore[misc]
        if _has_user(self.model):
            instance.user_id = user_id(data)  # type: ignore[attr-defined]
        return instance

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

    def _get_session_from_db(self) -> AbstractBaseSession | None:
        found = read_session(self.model, self.session_key)
        if found is None:
            self._session_key = None  # as Django's store: a new key on the next save
            self.joined_user = None
        else:
            self.joined_user = getattr(found, "user", None)  # read with it: no query
        return found
