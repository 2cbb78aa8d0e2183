"""The authorization code flow with PKCE (S256), state and nonce, as ID-porten requires it.

``begin`` builds the authorization request and what we must remember until the callback;
``complete`` redeems the code at the token endpoint and returns the validated id_token claims.
Protocol pieces (PKCE challenge, request URI, client authentication) come from Authlib;
JWT verification from joserfc (Authlib's JOSE library).
"""

from __future__ import annotations

import base64
import logging
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit, urlunsplit

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.auth import ClientAuth
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, Key, OKPKey, RSAKey

from iktipet.accounts import loa
from iktipet.accounts.oidc.errors import (
    AuthorizationResponseError,
    OidcError,
    ProviderMisconfigured,
    ProviderUnavailable,
    TokenEndpointError,
)
from iktipet.accounts.oidc.idtoken import validate_id_token
from iktipet.accounts.oidc.metadata import provider_metadata
from iktipet.accounts.oidc.provider import OidcProvider

logger = logging.getLogger(__name__)

#: How long a started login may take before its callback is refused.
PENDING_MAX_AGE = 15 * 60
#: Lifetime of our client assertion (ID-porten accepts at most 120 s).
ASSERTION_LIFETIME = 60


@dataclass(frozen=True)
class PendingLogin:
    """What the callback must match: kept in the session, keyed by ``state``."""

    provider: str
    state: str
    nonce: str
    code_verifier: str
    level: str | None
    next_url: str
    started_at: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PendingLogin:
        return cls(**data)

    @property
    def expired(self) -> bool:
        return time.time() - self.started_at > PENDING_MAX_AGE


@dataclass(frozen=True)
class CompletedLogin:
    claims: dict[str, Any]
    id_token: str


def begin(
    provider: OidcProvider, *, level: str | None, next_url: str, ui_locale: str = "nb"
) -> tuple[str, PendingLogin]:
    """The authorization URL to redirect to, and the pending login to keep in the session."""
    meta = provider_metadata(provider)
    pending = PendingLogin(
        provider=provider.key,
        state=generate_token(32),
        nonce=generate_token(32),
        # 64 characters from the unreserved set: inside PKCE's 43–128.
        code_verifier=generate_token(64),
        level=level,
        next_url=next_url,
        started_at=time.time(),
    )
    params: dict[str, str] = {
        "nonce": pending.nonce,
        "code_challenge": create_s256_code_challenge(pending.code_verifier),
        "code_challenge_method": "S256",
        "ui_locales": ui_locale,
    }
    if provider.uses_loa and level:
        params["acr_values"] = loa.acr_for(level)
    url = prepare_grant_uri(
        meta["authorization_endpoint"],
        client_id=provider.client_id,
        response_type="code",
        redirect_uri=provider.redirect_uri,
        scope=provider.scope,
        state=pending.state,
        **params,
    )
    return url, pending


def check_authorization_response(
    provider: OidcProvider, params: dict[str, str], pending: PendingLogin | None
) -> str:
    """The authorization code from the callback's query, after checking it belongs to us."""
    if pending is None:
        raise AuthorizationResponseError("state_mismatch")
    if pending.expired:
        raise AuthorizationResponseError("login_expired")
    if pending.provider != provider.key:
        raise AuthorizationResponseError("state_mismatch", "other provider")
    # RFC 9207: when the provider names itself, it must be the one we sent the user to.
    iss = params.get("iss")
    if iss is not None and iss.rstrip("/") != provider.issuer:
        raise AuthorizationResponseError("iss_mismatch")
    error = params.get("error")
    if error:
        raise AuthorizationResponseError(
            "cancelled" if error == "access_denied" else "provider_error", error[:100]
        )
    code = params.get("code", "")
    if not code or len(code) > 4096:
        raise AuthorizationResponseError("no_code")
    return code


_EC_ALGS = {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}


def _signing_alg(key: Key) -> str:
    if isinstance(key, RSAKey):
        return "RS256"
    if isinstance(key, ECKey):
        return _EC_ALGS.get(key.curve_name, "")
    return "EdDSA" if isinstance(key, OKPKey) else ""


def _client_key(provider: OidcProvider) -> tuple[Key, str]:
    """The private key for private_key_jwt (RSA, EC or Ed25519 PEM) and its algorithm."""
    try:
        with open(provider.client_key_path, "rb") as handle:
            pem = handle.read()
    except OSError as exc:
        raise ProviderMisconfigured("client_key_unreadable", type(exc).__name__) from exc
    for key_type in (RSAKey, ECKey, OKPKey):
        try:
            key: Key = key_type.import_key(pem)
        except (JoseError, ValueError, TypeError):
            continue
        alg = _signing_alg(key)
        if alg and key.is_private:
            return key, alg
    raise ProviderMisconfigured("client_key_unusable")


def encode_client_secret_basic(
    client: ClientAuth, method: str, uri: str, headers: dict[str, str], body: str
) -> tuple[str, dict[str, str], str]:
    """``client_secret_basic`` as RFC 6749 §2.3.1 defines it: client_id and client_secret each
    form-URL-encoded (application/x-www-form-urlencoded, Appendix B), then joined by ``:`` and
    base64-encoded. Authlib's own encoder leaves out the first step, so a secret holding ``+``,
    ``/``, ``=`` or ``%`` (any base64 secret) reaches a conforming provider altered."""
    pair = f"{quote_plus(client.client_id, safe='')}:{quote_plus(client.client_secret, safe='')}"
    headers["Authorization"] = "Basic " + base64.b64encode(pair.encode("ascii")).decode("ascii")
    return uri, headers, body


def client_authentication(provider: OidcProvider, meta: dict[str, Any]) -> ClientAuth:
    """Authlib's client authentication for the configured method."""
    if provider.client_auth == "client_secret_basic":
        return ClientAuth(provider.client_id, provider.client_secret, encode_client_secret_basic)
    if provider.client_auth != "private_key_jwt":
        return ClientAuth(provider.client_id, provider.client_secret, provider.client_auth)
    key, alg = _client_key(provider)
    kid = provider.client_key_id or key.thumbprint()
    # ID-porten wants aud = its issuer; iss = sub = client_id, a jti, and a short exp.
    assertion = PrivateKeyJWT(
        token_endpoint=meta["issuer"],
        claims={"exp": int(time.time()) + ASSERTION_LIFETIME},
        headers={"kid": kid},
        alg=alg,
    )
    return ClientAuth(provider.client_id, key, assertion)


def redeem_code(provider: OidcProvider, code: str, code_verifier: str) -> dict[str, Any]:
    """POST the code to the token endpoint; the token response as a dict."""
    meta = provider_metadata(provider)
    body = urlencode(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": provider.redirect_uri,
            "code_verifier": code_verifier,
        }
    )
    headers = {
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    token_url, headers, body = client_authentication(provider, meta).prepare(
        "POST", meta["token_endpoint"], headers, body
    )
    try:
        response = httpx.post(
            token_url,
            content=body.encode(),
            headers=headers,
            timeout=provider.timeout,
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        raise ProviderUnavailable("token_unreachable", type(exc).__name__) from exc
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code >= 500 or not isinstance(data, dict):
        raise ProviderUnavailable("token_status", str(response.status_code))
    if response.status_code != 200 or "error" in data:
        raise _token_refusal(provider, response.status_code, data)
    if not isinstance(data.get("id_token"), str):
        raise OidcError("token_error", "no id_token")
    return data


def _printable(value: Any, limit: int) -> str:
    """An OAuth error field as RFC 6749 §5.2 allows it: printable ASCII but ``"`` and ``\\``."""
    text = value if isinstance(value, str) else ""
    return "".join(c for c in text if " " <= c <= "~" and c not in '"\\')[:limit]


def _token_refusal(provider: OidcProvider, status: int, data: dict[str, Any]) -> OidcError:
    """The provider's ``error`` and ``error_description``, logged: they say what to fix
    (``invalid_client``: our client authentication; ``invalid_grant``: a used or expired code,
    or PKCE that did not match). Our secret never goes into a log, even if echoed back."""
    error = _printable(data.get("error"), 64) or f"http_{status}"
    description = _printable(data.get("error_description"), 300)
    secret = provider.client_secret
    for shown in {secret, quote_plus(secret, safe="")} if secret else ():
        description = description.replace(shown, "[secret]")
    logger.warning(
        "token endpoint refused the code",
        extra={
            "provider": provider.key,
            "status_code": status,
            "error": error,
            "error_description": description,
            "client_auth": provider.client_auth,
        },
    )
    return TokenEndpointError(error, description)


def complete(provider: OidcProvider, pending: PendingLogin, code: str) -> CompletedLogin:
    """Redeem ``code`` and validate the id_token against what we sent in ``begin``."""
    tokens = redeem_code(provider, code, pending.code_verifier)
    claims = validate_id_token(
        provider, tokens["id_token"], nonce=pending.nonce, level=pending.level
    )
    return CompletedLogin(claims=claims, id_token=tokens["id_token"])


@dataclass(frozen=True)
class EndSession:
    """RP-initiated logout: the browser goes to the provider's end_session_endpoint with
    id_token_hint, post_logout_redirect_uri, client_id and state.

    Either way the browser gets there by submitting a form on our page (at once, with
    JavaScript): our logout is itself a form POST, and Chrome and Safari apply the page's CSP
    ``form-action 'self'`` to the redirects that follow a form, so a plain redirect to the
    provider would be blocked. The page's own policy names the provider instead.

    GET by default: it is what ID-porten documents and the one method every provider serves.
    OpenID Connect RP-Initiated Logout asks providers for POST as well, but panva's
    oidc-provider, for one, serves POST only when its session cookie is SameSite=None (and a
    POST without the cookie leaves the single sign-on session alive). POST keeps the
    id_token_hint, which carries ``pid``, out of the URL and the browser history: choose it
    (``IKTIPET_OIDC_LOGOUT_METHOD=POST``) where the provider takes it.
    """

    endpoint: str
    params: dict[str, str]
    method: str = "GET"

    @property
    def origin(self) -> str:
        parts = urlsplit(self.endpoint)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def form_action(self) -> str:
        """Where the form goes: a GET form replaces the action's query, so it is left off."""
        if self.method == "POST":
            return self.endpoint
        return urlunsplit(urlsplit(self.endpoint)._replace(query="", fragment=""))

    @property
    def form_fields(self) -> list[tuple[str, str]]:
        """The form's hidden fields: for GET, the endpoint's own query comes first."""
        if self.method == "POST":
            return list(self.params.items())
        own = parse_qsl(urlsplit(self.endpoint).query, keep_blank_values=True)
        return [*own, *self.params.items()]


def end_session(provider: OidcProvider, *, id_token: str, state: str) -> EndSession | None:
    """RP-initiated logout at the provider, or None when it offers no end_session_endpoint."""
    try:
        endpoint = provider_metadata(provider).get("end_session_endpoint")
    except ProviderUnavailable:
        return None
    if not isinstance(endpoint, str):
        return None
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    params = {
        "post_logout_redirect_uri": provider.post_logout_redirect_uri,
        "client_id": provider.client_id,
        "state": state,
    }
    if id_token:
        params["id_token_hint"] = id_token
    return EndSession(endpoint=endpoint, params=params, method=provider.logout_method)
