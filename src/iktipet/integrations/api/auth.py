"""Who is calling: a bearer token from a trusted issuer, for a registered API client,
with the scope the operation needs, within the client's rate limit."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from iktipet.integrations.api.limits import Quota, spend
from iktipet.integrations.api.problems import Problem
from iktipet.integrations.auth.tokens import AccessToken, TokenRefused, read_access_token
from iktipet.integrations.models import ApiClient
from iktipet.integrations.services import ensure_service_user

logger = logging.getLogger(__name__)
CHALLENGE = 'Bearer realm="iktipet"'


@dataclass
class Caller:
    """The API client behind a request; passed to ``core.audit.record`` as the actor."""

    client: ApiClient
    token: AccessToken
    quota: Quota
    audited: bool = field(default=False)

    is_authenticated = True
    pk = None  # not a user: the audit row keeps the label, not a foreign key

    @property
    def audit_label(self) -> str:
        return f"api:{self.client.orgnr}"

    @property
    def user(self):
        return ensure_service_user(self.client)


def unauthorized(detail: str) -> Problem:
    return Problem(
        401,
        "unauthorized",
        _("Mangler gyldig tilgangsnøkkel"),
        detail,
        headers={"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'},
    )


class Bearer(HttpBearer):
    """A Maskinporten-shaped access token carrying ``scope``."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> Caller | None:
        caller = super().__call__(request)
        if caller is None:
            raise Problem(
                401,
                "unauthorized",
                _("Mangler gyldig tilgangsnøkkel"),
                _("Send et tilgangstoken: Authorization: Bearer <token>."),
                headers={"WWW-Authenticate": CHALLENGE},
            )
        return caller

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        try:
            access = read_access_token(token)
        except TokenRefused as refused:
            logger.info("API token refused: %s", refused.reason)
            raise unauthorized(refused.reason) from None
        # Its service user too: every operation reads as it (one query, not two).
        client = (
            ApiClient.objects.select_related("service_user")
            .filter(orgnr=access.orgnr, active=True)
            .first()
        )
        if client is None:
            raise Problem(
                403,
                "unknown-client",
                _("Organisasjonen er ikke registrert som API-klient"),
                _("Be kommunen registrere organisasjonsnummeret %(orgnr)s.")
                % {"orgnr": access.orgnr},
            )
        quota = spend(client.orgnr)
        caller = Caller(client=client, token=access, quota=quota)
        request.api_caller = caller  # type: ignore[attr-defined]
        if quota.exceeded:
            raise Problem(
                429,
                "rate-limited",
                _("For mange forespørsler"),
                _("Vent litt før du prøver igjen."),
                headers={"Retry-After": str(quota.reset)},
            )
        granted = set(client.scopes) & access.scopes
        if self.scope not in granted:
            raise Problem(
                403,
                "insufficient-scope",
                _("Tilgangen mangler"),
                _("Operasjonen krever scope %(scope)s.") % {"scope": self.scope},
                headers={
                    "WWW-Authenticate": f'{CHALLENGE}, error="insufficient_scope", '
                    f'scope="{self.scope}"'
                },
            )
        return caller


CATALOG_READ = Bearer("iktipet:catalog.read")
CASES_READ = Bearer("iktipet:cases.read")
CASES_WRITE = Bearer("iktipet:cases.write")
EVENTS_READ = Bearer("iktipet:events.read")
