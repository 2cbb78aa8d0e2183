"""End to end against the built-in TestID, reached over real HTTP as ID-porten would be."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import httpx
import pytest

from iktipet.accounts.models import OidcSession, StaffRole
from iktipet.core.models import Agency, AuditEvent, Municipality
from support.oidc_browser import KARI, OLA, query_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not __import__("importlib").util.find_spec("iktipet.testid.site_urls"),
        reason="TestID (iktipet.testid) is not built yet",
    ),
]


@pytest.fixture
def testid_rp(settings, live_server, registers):
    settings.TESTID_ENABLED = True
    settings.ROOT_URLCONF = "iktipet.testid.site_urls"
    settings.BASE_URL = live_server.url
    settings.OIDC_ISSUER = settings.STAFF_OIDC_ISSUER = f"{live_server.url}/testid"
    settings.OIDC_CLIENT_ID, settings.STAFF_OIDC_CLIENT_ID = "iktipet-portal", "iktipet-staff"
    settings.OIDC_CLIENT_SECRET, settings.STAFF_OIDC_CLIENT_SECRET = "e2e-portal", "e2e-staff"
    settings.OIDC_CLIENT_AUTH = "client_secret_post"
    settings.OIDC_CLIENT_KEY = ""
    return live_server.url


class Browser:
    def __init__(self) -> None:
        self.http = httpx.Client(follow_redirects=True, timeout=15)

    def csrf_post(
        self, page: httpx.Response, data: dict[str, str], url: str = ""
    ) -> httpx.Response:
        """Submit a form of ``page`` (to ``url``, else back to the page itself)."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.http.post(url or str(page.url), data={"csrfmiddlewaretoken": token, **data})


@pytest.fixture
def browsers():
    made: list[Browser] = []

    def make() -> Browser:
        made.append(Browser())
        return made[-1]

    yield make
    for browser in made:  # closed before the live server stops
        browser.http.close()


def _citizen_login(browser: Browser, base: str, pid: str, level: str = "high") -> httpx.Response:
    page = browser.http.get(f"{base}/logg-inn/?next=/min-side/&niva={level}")
    assert "/testid/authorize" in str(page.url), page.text[:300]
    assert query_of(str(page.url))["acr_values"] == f"idporten-loa-{level}"
    return browser.csrf_post(page, {"action": "login", "fnr": pid, "level": level})


def test_citizen_logs_in_through_testid(testid_rp, browsers):
    page = _citizen_login(browsers(), testid_rp, KARI)
    assert urlsplit(str(page.url)).path == "/min-side/", page.text[:500]
    assert "178190 *****" in page.text and KARI not in page.text
    assert "Kari Nordmann-Test" in page.text
    assert AuditEvent.objects.get(action="accounts.login").details["level"] == "high"


def test_frontchannel_logout_with_testid_sids(testid_rp, browsers):
    kari, ola = browsers(), browsers()
    _citizen_login(kari, testid_rp, KARI)
    _citizen_login(ola, testid_rp, OLA)
    sessions = list(OidcSession.objects.order_by("pk"))
    assert len(sessions) == 2 and sessions[0].sid != sessions[1].sid
    assert sessions[0].issuer == f"{testid_rp}/testid"

    frame = httpx.get(
        f"{testid_rp}/logg-ut/frontchannel/",
        params={"iss": f"{testid_rp}/testid", "sid": sessions[0].sid},
        timeout=10,
    )
    assert frame.status_code == 200
    assert urlsplit(str(kari.http.get(f"{testid_rp}/min-side/").url)).path != "/min-side/"
    assert urlsplit(str(ola.http.get(f"{testid_rp}/min-side/").url)).path == "/min-side/"


def test_rp_initiated_logout_through_testid(testid_rp, browsers):
    kari = browsers()
    page = _citizen_login(kari, testid_rp, KARI)
    assert 'action="/logg-ut/"' in page.text  # the header's logout form
    page = kari.csrf_post(page, {}, f"{testid_rp}/logg-ut/")
    # Our page holds a form to TestID (by GET, the default), not a redirect: Chrome would hold
    # a redirect after our form POST to the page's form-action.
    assert urlsplit(str(page.url)).path == "/logg-ut/" and not page.history
    form = re.search(
        r'<form method="get" action="([^"]+)" data-autosubmit>(.*?)</form>', page.text, re.S
    )
    assert form, page.text[:500]
    action = unescape(form.group(1))
    assert action == f"{testid_rp}/testid/logout"
    fields = {
        name: unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2)
        )
    }
    assert set(fields) == {"id_token_hint", "post_logout_redirect_uri", "state", "client_id"}
    assert f"form-action 'self' {testid_rp}" in page.headers["content-security-policy"]
    page = kari.http.get(action, params=fields)
    # TestID ends its session, frames our front-channel URL, then points back to us.
    frames = re.findall(r'<iframe[^>]*src="([^"]+)"', page.text)
    assert frames and all("/logg-ut/frontchannel/?" in unescape(src) for src in frames)
    for src in frames:
        assert kari.http.get(unescape(src)).status_code == 200
    target = re.search(r'url=([^"]+)"', page.text).group(1)
    assert fields["id_token_hint"] not in unescape(target)
    done = kari.http.get(unescape(target))
    assert urlsplit(str(done.url)).path == "/logg-ut/ferdig/"
    assert "Du er logget ut" in done.text  # with the state we sent
    assert not AuditEvent.objects.filter(action="accounts.logout_state_mismatch").exists()
    assert AuditEvent.objects.filter(action="accounts.logout").exists()
    again = kari.http.get(f"{testid_rp}/min-side/")
    assert "/testid/authorize" in str(again.url)  # logged out here, asked to log in again


def test_staff_logs_in_through_testid_with_roles(testid_rp, browsers):
    municipality = Municipality.objects.create(name="Testkommune", kommunenummer="0301")
    Agency.objects.create(
        municipality=municipality,
        slug="naeringsetaten",
        name_nb="Næringsetaten",
        name_en="Business",
    )
    staff = browsers()
    page = staff.http.get(f"{testid_rp}/saksbehandling/")
    assert "/testid/authorize" in str(page.url)
    page = staff.csrf_post(page, {"action": "login", "staff": "sara.saksbehandler"})
    # A case worker lands in the inbox of her agency.
    assert urlsplit(str(page.url)).path == "/saksbehandling/saker/", page.text[:500]
    assert "Sara Saksbehandler" in page.text and "Næringsetaten" in page.text
    role = StaffRole.objects.get()
    assert (role.agency.slug, role.role) == ("naeringsetaten", "case_worker")
