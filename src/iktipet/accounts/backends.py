"""Authentication happens only through OpenID Connect: no passwords anywhere."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


class OidcBackend(ModelBackend):
    """Loads users and their permissions; never authenticates a username and password.

    The OIDC callback calls ``login()`` with this backend after validating the id_token, so
    the admin and every other login go through the identity providers.
    """

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        return None
