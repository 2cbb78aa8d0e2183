"""Authentication happens only through OpenID Connect: no passwords anywhere."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from iktipet.core import rows

#: The user read with the request's session row (``core.sessions``), while Django's
#: ``get_user`` asks the backend for the session's user.
_offered: ContextVar[AbstractBaseUser | None] = ContextVar("session_user", default=None)


@contextmanager
def offering(user: AbstractBaseUser | None) -> Iterator[None]:
    """While this runs, ``OidcBackend.get_user`` takes ``user`` for its id, unread."""
    token = _offered.set(user)
    try:
        yield
    finally:
        _offered.reset(token)


class OidcBackend(ModelBackend):
    """Loads users and their permissions; never authenticates a username and password.

    The OIDC callback calls ``login()`` with this backend after validating the id_token, so
    the admin and every other login go through the identity providers.
    """

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        return None

    def get_user(self, user_id: Any) -> AbstractBaseUser | None:
        """The session's user, read with SQL compiled once (core.rows: it is read on every
        request of a logged-in person), or the one read with the session when it has this
        id (``offering``); the same checks as Django's ``ModelBackend``."""
        offered = _offered.get()
        if offered is not None and user_id is not None and offered.pk == user_id:
            user: Any = offered
        else:
            user = rows.by_pk(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
