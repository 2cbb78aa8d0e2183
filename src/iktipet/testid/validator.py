"""django-oauth-toolkit's validator, taught TestID's issuer, keys, claims and sessions."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections import OrderedDict
from typing import Any

from django.db import transaction
from oauth2_provider.oauth2_validators import OAuth2Validator

from iktipet.testid import keys
from iktipet.testid.claims import id_token_claims, userinfo_claims
from iktipet.testid.conf import ID_TOKEN_LIFETIME_SECONDS, issuer
from iktipet.testid.models import Login


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


class TestIDValidator(OAuth2Validator):
    """Every grant made here belongs to a :class:`Login`; the claims come from it."""

    # Our claims are chosen per login, not filtered by scope.
    oidc_claim_scope = None

    def get_oidc_issuer_endpoint(self, request: Any) -> str:
        return issuer()

    # No single sign-on: prompt=none always gets login_required.
    def validate_silent_authorization(self, request: Any) -> bool:
        return False

    def validate_silent_login(self, request: Any) -> bool:
        return False

    def save_authorization_code(self, client_id, code, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._create_authorization_code(request, code)
        login = getattr(request, "testid_login", None)
        if login is not None:
            Login.objects.filter(pk=login.pk).update(code_hash=code_hash(code["code"]))

    def validate_code(self, client_id, code, client, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not super().validate_code(client_id, code, client, request, *args, **kwargs):
            return False
        login = Login.objects.filter(
            code_hash=code_hash(code), client_id=client.client_id, ended_at__isnull=True
        ).first()
        if login is None:
            return False
        request.testid_login = login
        return True

    def save_bearer_token(self, token, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        # No refresh tokens: a client logs in again, as the portal does with ID-porten.
        token.pop("refresh_token", None)
        return super().save_bearer_token(token, request, *args, **kwargs)

    def _create_access_token(self, expires, request, token, source_refresh_token=None):  # type: ignore[no-untyped-def]
        access_token = super()._create_access_token(expires, request, token, source_refresh_token)
        login = getattr(request, "testid_login", None)
        if login is not None:
            Login.objects.filter(pk=login.pk).update(
                access_token_checksum=access_token.token_checksum
            )
        return access_token

    def finalize_id_token(self, id_token, token, token_handler, request):  # type: ignore[no-untyped-def]
        # oauthlib has set aud, iat, nonce and at_hash.
        id_token.update(id_token_claims(request.testid_login))
        id_token["iss"] = issuer()
        id_token["exp"] = id_token["iat"] + ID_TOKEN_LIFETIME_SECONDS
        id_token["jti"] = str(uuid.uuid4())
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        signed = keys.sign(id_token)
        expires = datetime.datetime.fromtimestamp(id_token["exp"], tz=datetime.UTC)
        with transaction.atomic():
            saved = self._save_id_token(id_token["jti"], request, expires)
        request.access_token = saved
        request.id_token = saved
        return signed

    def _get_key_for_token(self, token):  # type: ignore[no-untyped-def]
        return keys.key_set()

    def validate_bearer_token(self, token, scopes, request):  # type: ignore[no-untyped-def]
        if not super().validate_bearer_token(token, scopes, request):
            return False
        login = Login.objects.filter(
            access_token_checksum=request.access_token.token_checksum, ended_at__isnull=True
        ).first()
        if login is None:
            request.oauth2_error = OrderedDict(
                [("error", "invalid_token"), ("error_description", "The session has ended.")]
            )
            return False
        request.testid_login = login
        return True

    def get_userinfo_claims(self, request):  # type: ignore[no-untyped-def]
        return userinfo_claims(request.testid_login)
