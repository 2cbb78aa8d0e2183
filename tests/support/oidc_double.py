"""A small OpenID Connect provider for tests, speaking the protocol over real HTTP.

It behaves like ID-porten where the relying party can tell (discovery, JWKS, authorization
code with PKCE S256, single-use codes, client_secret_post/basic and private_key_jwt, acr,
pid, sid, end_session) and has knobs to misbehave: tamper with a signature, sign with a key it
does not publish, override or drop claims. The "user" approves every authorization at once.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

_DROP = object()
_KEY = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig"})  # once: keygen is slow


class OidcDouble:
    def __init__(self) -> None:
        self.key = _KEY
        self.published: list[RSAKey] = [self.key]
        self.sign_key: RSAKey = self.key
        self.clients: dict[str, dict[str, Any]] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.used_assertion_ids: set[str] = set()
        # What happened, for assertions.
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, Any]] = []
        self.logout_requests: list[dict[str, str]] = []
        self.discovery_fetches = 0
        self.jwks_fetches = 0
        self.issued_id_tokens: list[str] = []
        # Knobs.
        self.pid = "17819049912"
        self.sid = "sid-1"
        self.sub = "pairwise-sub-1"
        self.acr: str | None = None  # None: the level asked for in acr_values
        self.claims_override: dict[str, Any] = {}
        self.extra_claims: dict[str, Any] = {}
        self.tamper_signature = False
        self.broken: str = ""  # "discovery", "token": answer 500 there
        self.no_end_session = False  # leave end_session_endpoint out of the metadata
        self.client_error_description = "client authentication failed"  # with invalid_client
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> OidcDouble:
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                double._handle(self, "GET")

            def do_POST(self) -> None:
                double._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def issuer(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add_client(
        self,
        client_id: str,
        *,
        redirect_uris: list[str],
        secret: str = "",
        auth: str = "client_secret_post",
        public_jwk: dict[str, Any] | None = None,
    ) -> None:
        self.clients[client_id] = {
            "secret": secret,
            "auth": auth,
            "redirect_uris": redirect_uris,
            "jwk": public_jwk,
        }

    # --- protocol --------------------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        base = self.issuer
        meta: dict[str, Any] = {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwks.json",
            "end_session_endpoint": f"{base}/logout",
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": [
                "client_secret_basic",
                "client_secret_post",
                "private_key_jwt",
            ],
            "acr_values_supported": ["idporten-loa-substantial", "idporten-loa-high"],
            "frontchannel_logout_supported": True,
            "frontchannel_logout_session_supported": True,
            "authorization_response_iss_parameter_supported": True,
        }
        if self.no_end_session:
            del meta["end_session_endpoint"]
        return meta

    def _handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(request.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if method == "GET" and parts.path == "/.well-known/openid-configuration":
            self.discovery_fetches += 1
            if self.broken == "discovery":
                return self._send(request, 500, b"<html>oops</html>", "text/html")
            return self._json(request, 200, self.metadata())
        if method == "GET" and parts.path == "/jwks.json":
            self.jwks_fetches += 1
            keys = KeySet(self.published).as_dict(private=False)
            return self._json(request, 200, keys)
        if method == "GET" and parts.path == "/authorize":
            return self._authorize(request, query)
        if method == "POST" and parts.path == "/token":
            length = int(request.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(request.rfile.read(length).decode()).items()}
            return self._token(request, form)
        if parts.path == "/logout":
            # Like ID-porten: POST with a form body (recommended) or GET with a query.
            params = query
            if method == "POST":
                length = int(request.headers.get("Content-Length") or 0)
                body = request.rfile.read(length).decode()
                params = {k: v[0] for k, v in parse_qs(body).items()}
            self.logout_requests.append({**params, "_method": method, "_path": request.path})
            target = params.get("post_logout_redirect_uri", "")
            return self._redirect(
                request, f"{target}?{urlencode({'state': params.get('state', '')})}"
            )
        return self._send(request, 404, b"not found", "text/plain")

    def _authorize(self, request: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        self.authorize_requests.append(query)
        client = self.clients.get(query.get("client_id", ""))
        if client is None or query.get("redirect_uri") not in client["redirect_uris"]:
            return self._send(request, 400, b"unknown client or redirect_uri", "text/plain")
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            return self._send(request, 400, b"code flow with PKCE S256 only", "text/plain")
        code = secrets.token_urlsafe(24)
        asked = query.get("acr_values", "idporten-loa-substantial")
        self.codes[code] = {
            "client_id": query["client_id"],
            "redirect_uri": query["redirect_uri"],
            "challenge": query.get("code_challenge", ""),
            "nonce": query.get("nonce"),
            "acr": self.acr if self.acr is not None else asked,
            "used": False,
        }
        params = {"code": code, "state": query.get("state", ""), "iss": self.issuer}
        return self._redirect(request, f"{query['redirect_uri']}?{urlencode(params)}")

    def _authenticate_client(
        self, request: BaseHTTPRequestHandler, form: dict[str, str]
    ) -> str | None:
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            # RFC 6749 §2.3.1: each half is form-URL-encoded before base64.
            raw_id, _, raw_secret = base64.b64decode(header[6:]).decode().partition(":")
            client_id, secret = unquote_plus(raw_id), unquote_plus(raw_secret)
            client = self.clients.get(client_id)
            if client and client["auth"] == "client_secret_basic" and secret == client["secret"]:
                return client_id
            return None
        if "client_assertion" in form:
            return self._check_assertion(form)
        client = self.clients.get(form.get("client_id", ""))
        if (
            client
            and client["auth"] == "client_secret_post"
            and form.get("client_secret") == client["secret"]
        ):
            return form["client_id"]
        return None

    def _check_assertion(self, form: dict[str, str]) -> str | None:
        if form.get("client_assertion_type") != (
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ):
            return None
        unverified = json.loads(
            base64.urlsafe_b64decode(form["client_assertion"].split(".")[1] + "==")
        )
        client = self.clients.get(unverified.get("iss", ""))
        if client is None or client["auth"] != "private_key_jwt":
            return None
        try:
            token = jwt.decode(
                form["client_assertion"], RSAKey.import_key(client["jwk"]), algorithms=["RS256"]
            )
        except Exception:
            return None
        claims = token.claims
        now = time.time()
        if (
            claims.get("sub") != claims.get("iss")
            or claims.get("aud") not in (self.issuer, f"{self.issuer}/token")
            or not claims.get("jti")
            or claims["jti"] in self.used_assertion_ids
            or claims.get("exp", 0) < now
            or claims.get("exp", 0) - claims.get("iat", 0) > 120
            or token.header.get("kid") != client["jwk"].get("kid")
        ):
            return None
        self.used_assertion_ids.add(claims["jti"])
        return str(claims["iss"])

    def _token(self, request: BaseHTTPRequestHandler, form: dict[str, str]) -> None:
        self.token_requests.append(
            {"form": form, "authorization": request.headers.get("Authorization")}
        )
        if self.broken == "token":
            return self._send(request, 500, b"<html>down</html>", "text/html")
        client_id = self._authenticate_client(request, form)
        if client_id is None:
            return self._json(
                request,
                401,
                {"error": "invalid_client", "error_description": self.client_error_description},
            )
        grant = self.codes.get(form.get("code", ""))
        if grant is None or grant["used"] or grant["client_id"] != client_id:
            return self._json(request, 400, {"error": "invalid_grant"})
        grant["used"] = True
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._json(request, 400, {"error": "invalid_grant"})
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if not grant["challenge"] or challenge != grant["challenge"]:
            return self._json(request, 400, {"error": "invalid_grant"})
        id_token = self.make_id_token(client_id, grant["nonce"], grant["acr"])
        self.issued_id_tokens.append(id_token)
        return self._json(
            request,
            200,
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 120,
                "id_token": id_token,
            },
        )

    def make_id_token(self, client_id: str, nonce: str | None, acr: str | None) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": client_id,
            "sub": self.sub,
            "pid": self.pid,
            "acr": acr,
            "amr": ["TestID"],
            "nonce": nonce,
            "sid": self.sid,
            "auth_time": now,
            "iat": now,
            "exp": now + 120,
            "jti": secrets.token_urlsafe(8),
            **self.extra_claims,
        }
        for name, value in self.claims_override.items():
            if value is _DROP:
                claims.pop(name, None)
            else:
                claims[name] = value
        claims = {k: v for k, v in claims.items() if v is not None}
        header = {"alg": "RS256", "kid": self.sign_key.kid}
        token = jwt.encode(header, claims, self.sign_key)
        if self.tamper_signature:
            head, _payload, signature = token.split(".")
            forged = dict(claims, sub="someone-else", pid="03868849974")
            payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
            token = f"{head}.{payload}.{signature}"
        return token

    # --- HTTP helpers ----------------------------------------------------------------------

    def _send(self, request: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str) -> None:
        request.send_response(status)
        request.send_header("Content-Type", ctype)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def _json(self, request: BaseHTTPRequestHandler, status: int, data: Any) -> None:
        self._send(request, status, json.dumps(data).encode(), "application/json")

    def _redirect(self, request: BaseHTTPRequestHandler, location: str) -> None:
        request.send_response(302)
        request.send_header("Location", location)
        request.send_header("Content-Length", "0")
        request.end_headers()


DROP = _DROP
