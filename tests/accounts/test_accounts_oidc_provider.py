"""The relying party against an independent, OpenID-certified provider: panva/oidc-provider.

The provider runs in node (tests/accounts/oidc_provider/server.mjs), in oidc-provider's default
configuration but for what ID-porten's login needs; Django runs as a live server; a browser is
played by httpx, submitting the provider's forms and ours.
Install the provider once with ``(cd tests/accounts/oidc_provider && npm ci)``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import httpx
import pytest
from joserfc.jwk import RSAKey

from iktipet.accounts.models import Person
from iktipet.core.models import AuditEvent
from support.oidc_browser import KARI

HERE = Path(__file__).parent / "oidc_provider"
#: Like any base64 secret it holds "+", "/" and "="; "%zz" is no valid percent-escape.
BASIC_SECRET = "t0p+s3cr/et==%zz"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(NODE is None, reason="node is not installed"),
    pytest.mark.skipif(
        not (HERE / "node_modules" / "oidc-provider").is_dir(),
        reason="oidc-provider is not installed: run `npm ci` in tests/accounts/oidc_provider",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NodeProvider:
    def __init__(self, base_url: str, client_key: RSAKey, acr: str = "") -> None:
        self.port = _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        public = client_key.as_dict(private=False)
        public.update(kid=client_key.thumbprint(), use="sig", alg="RS256")
        common = {
            "redirect_uris": [f"{base_url}/logg-inn/callback/"],
            "post_logout_redirect_uris": [f"{base_url}/logg-ut/ferdig/"],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
        }
        clients = [
            {
                "client_id": "rp-post",
                "client_secret": "conformance-secret",
                "token_endpoint_auth_method": "client_secret_post",
                **common,
            },
            {
                "client_id": "rp-basic",
                "client_secret": BASIC_SECRET,
                "token_endpoint_auth_method": "client_secret_basic",
                **common,
            },
            {
                "client_id": "rp-jwt",
                "token_endpoint_auth_method": "private_key_jwt",
                "token_endpoint_auth_signing_alg": "RS256",
                "jwks": {"keys": [public]},
                **common,
            },
        ]
        env = dict(
            os.environ,
            PORT=str(self.port),
            OIDC_CLIENTS=json.dumps(clients),
            OIDC_ACCOUNT=json.dumps({"sub": "conformance-user", "pid": KARI}),
            OIDC_ACR=acr,
        )
        self.process = subprocess.Popen(
            [NODE, "server.mjs"],
            cwd=HERE,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line.startswith("READY"):
            self.stop()
            pytest.fail(f"oidc-provider did not start: {line!r}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def client_key(tmp_path):
    key = RSAKey.generate_key(2048)
    path = tmp_path / "rp-key.pem"
    path.write_bytes(key.as_pem(private=True))
    return key, path


@pytest.fixture
def conformance(live_server, settings, registers, client_key):
    settings.BASE_URL = live_server.url
    provider = NodeProvider(live_server.url, client_key[0])
    settings.OIDC_ISSUER = provider.issuer
    yield provider
    provider.stop()


def _configure(settings, method, client_key):
    if method == "private_key_jwt":
        settings.OIDC_CLIENT_ID = "rp-jwt"
        settings.OIDC_CLIENT_AUTH = "private_key_jwt"
        settings.OIDC_CLIENT_KEY = str(client_key[1])
        settings.OIDC_CLIENT_KEY_ID = ""
    elif method == "client_secret_basic":
        settings.OIDC_CLIENT_ID = "rp-basic"
        settings.OIDC_CLIENT_AUTH = "client_secret_basic"
        settings.OIDC_CLIENT_SECRET = BASIC_SECRET
    else:
        settings.OIDC_CLIENT_ID = "rp-post"
        settings.OIDC_CLIENT_AUTH = "client_secret_post"
        settings.OIDC_CLIENT_SECRET = "conformance-secret"


class Browser:
    """Follows redirects by hand so each hop can be looked at; posts the provider's form."""

    def __init__(self) -> None:
        self.http = httpx.Client(follow_redirects=False, timeout=15)
        self.visited: list[str] = []

    def go(self, url: str, *, method: str = "GET", data: dict | None = None) -> httpx.Response:
        response = self.http.request(method, url, data=data)
        self.visited.append(url)
        for _ in range(15):
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            url = urljoin(url, response.headers["location"])
            self.visited.append(url)
            response = self.http.get(url)
        raise AssertionError("too many redirects")

    def submit_form(
        self, page: httpx.Response, extra: dict | None = None, marker: str = ""
    ) -> httpx.Response:
        """Submit the page's first form (the first with ``marker`` in its tag, if given) by
        its method, as a browser does: a GET form's fields become the query."""
        form = re.search(rf"<form[^>]*{re.escape(marker)}[^>]*>(.*?)</form>", page.text, re.S)
        assert form, page.text[:500]
        html = form.group(0)
        action = unescape(re.search(r'<form[^>]*action="([^"]+)"', html).group(1))
        method = re.search(r'<form[^>]*method="([^"]+)"', html)
        fields = {
            name: unescape(value)
            for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)
        }
        fields.update(extra or {})
        url = urljoin(str(page.url), action)
        if method and method.group(1).lower() == "get":
            return self.go(f"{url.split('?')[0]}?{urlencode(fields)}")
        return self.go(url, method="POST", data=fields)


@pytest.fixture
def browser():
    # Closed before the live server stops: a kept-alive connection would outlive its database.
    player = Browser()
    yield player
    player.http.close()


def _login(browser: Browser, live_server, path="/logg-inn/?next=/min-side/"):
    page = browser.go(f"{live_server.url}{path}")
    if "<form" in page.text and "/interaction/" in page.text:
        page = browser.submit_form(page)
    return page


@pytest.mark.parametrize("method", ["client_secret_post", "client_secret_basic", "private_key_jwt"])
def test_full_flow_against_oidc_provider(
    conformance, live_server, settings, client_key, method, browser
):
    _configure(settings, method, client_key)

    page = _login(browser, live_server)

    assert page.status_code == 200, page.text[:500]
    assert urlsplit(str(page.url)).path == "/min-side/"
    assert "178190 *****" in page.text and KARI not in page.text
    assert "Kari Nordmann-Test" in page.text
    authorize = next(
        url for url in browser.visited if url.startswith(f"{conformance.issuer}/auth?")
    )
    assert "code_challenge_method=S256" in authorize
    assert "acr_values=idporten-loa-substantial" in authorize
    assert Person.objects.get().pid == KARI
    login = AuditEvent.objects.get(action="accounts.login")
    assert login.details["level"] == "substantial"

    _log_out_everywhere(browser, live_server, conformance)
    mine = browser.go(f"{live_server.url}/min-side/")
    assert urlsplit(str(mine.url)).path != "/min-side/"  # logged out here …
    again = browser.go(f"{live_server.url}/logg-inn/")
    assert "/interaction/" in str(again.url)  # … and at the provider: it asks again


def _log_out_everywhere(browser: Browser, live_server, conformance: NodeProvider) -> None:
    """RP-initiated logout: our POST, our page's form GETs the provider's end_session_endpoint
    (its default: GET only), the provider's confirmation, back to /logg-ut/ferdig/ with our
    state."""
    token = browser.http.cookies.get("csrftoken")
    page = browser.go(
        f"{live_server.url}/logg-ut/", method="POST", data={"csrfmiddlewaretoken": token}
    )
    assert page.status_code == 200 and "location" not in page.headers
    assert f"form-action 'self' {conformance.issuer}" in page.headers["content-security-policy"]
    state = re.search(r'name="state" value="([^"]+)"', page.text).group(1)
    page = browser.submit_form(page, marker="data-autosubmit")
    assert page.status_code == 200, page.text[:500]  # the provider asks: log out there too?
    assert str(page.request.url).startswith(f"{conformance.issuer}/session/end?")
    page = browser.submit_form(page, {"logout": "yes"})
    assert str(page.url) == f"{live_server.url}/logg-ut/ferdig/?state={state}", page.text[:500]
    assert "Du er logget ut" in page.text
    assert not AuditEvent.objects.filter(action="accounts.logout_state_mismatch").exists()


@pytest.mark.parametrize("method", ["client_secret_post", "client_secret_basic"])
def test_step_up_against_oidc_provider(
    conformance, live_server, settings, client_key, browser, method
):
    _configure(settings, method, client_key)
    _login(browser, live_server)
    page = _login(browser, live_server, "/logg-inn/?niva=high&next=/min-side/")
    assert urlsplit(str(page.url)).path == "/min-side/"
    assert AuditEvent.objects.get(action="accounts.step_up").details["level"] == "high"
    assert Person.objects.count() == 1
    # Logging out ends the provider's session at the higher level too: it asks again.
    _log_out_everywhere(browser, live_server, conformance)
    again = browser.go(f"{live_server.url}/logg-inn/?niva=high")
    assert "/interaction/" in str(again.url)


def test_provider_under_delivering_acr_is_refused(
    live_server, settings, registers, client_key, browser
):
    settings.BASE_URL = live_server.url
    provider = NodeProvider(live_server.url, client_key[0], acr="idporten-loa-substantial")
    try:
        settings.OIDC_ISSUER = provider.issuer
        _configure(settings, "client_secret_post", client_key)
        page = _login(browser, live_server, "/logg-inn/?niva=high")
        assert page.status_code == 400
        assert "høyere sikkerhetsnivå" in page.text
        failed = AuditEvent.objects.get(action="accounts.login_failed")
        assert failed.details["reason"] == "acr_insufficient"
    finally:
        provider.stop()
