"""TestID's pages in a real browser: WCAG 2.1 AA (axe), keyboard use, no CSP violations,
and front-channel logout iframes loading before the meta refresh moves on."""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.db import connections

from support.browser import CHROMIUM, LAUNCH_ARGS, WCAG_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(settings, live_server):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    settings.TESTID_ENABLED = True
    settings.ROOT_URLCONF = "iktipet.testid.site_urls"
    settings.BASE_URL = live_server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
        )
        context = browser.new_context(base_url=live_server.url, locale="nb-NO")
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.csp_violations = []
        page.on(
            "console",
            lambda m: (
                page.csp_violations.append(m.text) if "Content Security Policy" in m.text else None
            ),
        )
        # Where the browser went (redirects included, which routes do not see).
        page.seen = []
        page.on("request", lambda request: page.seen.append(request.url))
        # The relying party's logout pages are not under test: answer them here.
        page.route(
            "**/logg-ut/**",
            lambda route: route.fulfill(status=200, content_type="text/html", body="ok"),
        )
        yield page
        browser.close()
        # Under Playwright the test's ORM calls can run on a connection of their own;
        # close it, or PostgreSQL refuses to drop the test database.
        connections.close_all()


def _axe(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    violations = Axe().run(page, options=options).response["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def _authorize_path(base: str, client_id: str) -> str:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    params = {
        "client_id": client_id,
        "redirect_uri": f"{base}/logg-inn/callback/",
        "response_type": "code",
        "scope": "openid",
        "state": "st",
        "code_challenge": challenge.rstrip(b"=").decode(),
        "code_challenge_method": "S256",
        "acr_values": "idporten-loa-high",
    }
    return "/testid/authorize?" + urlencode(params)


def test_login_page_is_accessible_and_works_by_keyboard(page, live_server, settings):
    page.goto(_authorize_path(live_server.url, settings.OIDC_CLIENT_ID))
    _axe(page)
    page.get_by_role("button", name="Logg inn").press("Enter")
    page.wait_for_selector(".ds-error-summary")
    _axe(page)
    page.get_by_label("Eller skriv inn et syntetisk fødselsnummer").fill("17819049913")
    page.get_by_role("button", name="Logg inn").press("Enter")
    page.wait_for_selector("#id_fnr-error")
    assert (
        page.get_by_label("Eller skriv inn et syntetisk fødselsnummer").get_attribute(
            "aria-invalid"
        )
        == "true"
    )
    _axe(page)

    page.get_by_label("Kari Nordmann-Test").check()
    page.get_by_label("Eller skriv inn et syntetisk fødselsnummer").fill("")
    assert page.get_by_label("Høyt (idporten-loa-high)").is_checked()
    page.get_by_label("Kari Nordmann-Test").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").press("Enter")
    callback = [url for url in page.seen if "/logg-inn/callback/" in url]
    query = dict(parse_qsl(urlsplit(callback[-1]).query))
    assert query["state"] == "st" and query["code"]
    assert page.csp_violations == []


def test_logout_loads_the_frontchannel_frame_then_returns(page, live_server, settings):
    from iktipet.testid.clients import ensure_clients
    from iktipet.testid.keys import sign
    from iktipet.testid.services import start_login

    ensure_clients()
    login = start_login(client_id=settings.OIDC_CLIENT_ID, kind="citizen", pid="17819049912")
    hint = sign(
        {"iss": f"{live_server.url}/testid", "aud": settings.OIDC_CLIENT_ID, "sid": login.sid}
    )
    query = urlencode(
        {
            "id_token_hint": hint,
            "post_logout_redirect_uri": f"{live_server.url}/logg-ut/ferdig/",
            "state": "bye",
        }
    )
    with page.expect_request("**/logg-ut/ferdig/**"):
        page.goto(f"/testid/logout?{query}")
    frontchannel = [url for url in page.seen if "/logg-ut/frontchannel/" in url]
    assert len(frontchannel) == 1
    assert dict(parse_qsl(urlsplit(frontchannel[0]).query))["sid"] == login.sid
    returned = [url for url in page.seen if "/logg-ut/ferdig/" in url]
    assert returned == [f"{live_server.url}/logg-ut/ferdig/?state=bye"]
    assert page.seen.index(frontchannel[0]) < page.seen.index(returned[0])
    assert page.csp_violations == []
