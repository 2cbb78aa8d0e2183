"""Authentication happens only through OpenID Connect: no passwords anywhere."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from iktipet.core import rows


class OidcBackend(ModelBackend):
    """Loads users and their permissions; never authenticates a username and password.

    The OIDC callback calls ``login()`` with this backend after validating the id_token, so
    the admin and every other login go through the identity providers.
    """

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        return None

    def get_user(self, user_id: Any) -> AbstractBaseUser | None:
        """The session's user, read with SQL compiled once (core.rows: it is read on every
        request of a logged-in person); the same checks as Django's ``ModelBackend``."""
        user = rows.by_pk(get_user_model(), user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
