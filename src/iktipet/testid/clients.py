"""The two clients TestID knows: the citizen portal and the staff UI of this installation.

Their registration is derived from settings at call time and written to
django-oauth-toolkit's Application table idempotently (``ensure_clients``), so a changed
BASE_URL or secret takes effect without a migration or a command.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from oauth2_provider.models import AbstractApplication, get_application_model

from iktipet.testid.conf import issuer
from iktipet.testid.models import Login


@dataclass(frozen=True)
class ClientSpec:
    client_id: str
    name: str
    kind: str  # Login.Kind
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    frontchannel_logout_uri: str

    @property
    def secret(self) -> str:
        return client_secret_for(self.client_id)


def client_secret_for(client_id: str) -> str:
    """The secret TestID expects from ``client_id``.

    The relying party's configured secret when it is set up against TestID; otherwise the
    same derivation from SECRET_KEY that settings use, so demo needs no configuration.
    """
    if client_id == settings.STAFF_OIDC_CLIENT_ID:
        configured, rp_issuer = settings.STAFF_OIDC_CLIENT_SECRET, settings.STAFF_OIDC_ISSUER
    elif client_id == settings.OIDC_CLIENT_ID:
        configured, rp_issuer = settings.OIDC_CLIENT_SECRET, settings.OIDC_ISSUER
    else:
        configured, rp_issuer = "", ""
    if configured and rp_issuer.rstrip("/") == issuer():
        return configured
    message = f"testid:{client_id}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def registered_clients() -> list[ClientSpec]:
    base = settings.BASE_URL.rstrip("/")
    logged_out = (f"{base}/logg-ut/ferdig/",)
    frontchannel = f"{base}/logg-ut/frontchannel/"
    return [
        ClientSpec(
            client_id=settings.OIDC_CLIENT_ID,
            name="Iktipet – innbyggere",
            kind=Login.Kind.CITIZEN,
            redirect_uris=(f"{base}/logg-inn/callback/",),
            post_logout_redirect_uris=logged_out,
            frontchannel_logout_uri=frontchannel,
        ),
        ClientSpec(
            client_id=settings.STAFF_OIDC_CLIENT_ID,
            name="Iktipet – ansatte",
            kind=Login.Kind.STAFF,
            redirect_uris=(f"{base}/ansatt/logg-inn/callback/",),
            post_logout_redirect_uris=logged_out,
            frontchannel_logout_uri=frontchannel,
        ),
    ]


def client_spec(client_id: str) -> ClientSpec | None:
    return next((c for c in registered_clients() if c.client_id == client_id), None)


def _wanted_fields(spec: ClientSpec) -> dict[str, object]:
    return {
        "name": spec.name,
        "client_type": AbstractApplication.CLIENT_CONFIDENTIAL,
        "authorization_grant_type": AbstractApplication.GRANT_AUTHORIZATION_CODE,
        "redirect_uris": " ".join(spec.redirect_uris),
        "post_logout_redirect_uris": " ".join(spec.post_logout_redirect_uris),
        "algorithm": AbstractApplication.RS256_ALGORITHM,
        "skip_authorization": True,
        # The secret derives from SECRET_KEY (or is the RP's own setting) anyway; a slow
        # password hash would only cost every token request half a second.
        "hash_client_secret": False,
        "client_secret": spec.secret,
        "user_id": None,
    }


def ensure_clients() -> None:
    """Create or refresh both clients' registrations. Cheap when nothing changed."""
    application_model = get_application_model()
    for spec in registered_clients():
        wanted = _wanted_fields(spec)
        app = application_model.objects.filter(client_id=spec.client_id).first()
        if app is None:
            try:
                with transaction.atomic():
                    application_model.objects.create(client_id=spec.client_id, **wanted)
            except IntegrityError:  # another process registered it at the same moment
                pass
            continue
        changed = [name for name, value in wanted.items() if getattr(app, name) != value]
        if changed:
            for name in changed:
                setattr(app, name, wanted[name])
            app.save()
