"""Session lifetime, logout (RP-initiated and front-channel) and step-up."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest
from django.test import Client

from iktipet.accounts import sessions
from iktipet.accounts.models import OidcSession
from iktipet.core.models import AuditEvent
from support.oidc_browser import authorize, back_to_rp, log_in, query_of, to_idp

pytestmark = pytest.mark.django_db


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _shift_clock(client, *, idle: float = 0, since_login: float = 0) -> None:
    """Pretend time has passed: move the session's timestamps into the past."""
    session = client.session
    auth = dict(session[sessions.AUTH])
    auth["at"] -= since_login
    session[sessions.AUTH] = auth
    session[sessions.LAST_SEEN] = session[sessions.LAST_SEEN] - idle
    session.save()


def test_idle_session_ends_after_thirty_minutes(client, rp):
    log_in(client)
    _shift_clock(client, idle=29 * 60)
    assert client.get("/min-side/").status_code == 200  # still within the limit; renews it
    _shift_clock(client, idle=31 * 60)
    response = client.get("/min-side/")
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")
    assert not _logged_in(client)
    assert AuditEvent.objects.get(action="accounts.session_expired").details == {"reason": "idle"}
    assert not OidcSession.objects.exists()


def test_session_ends_after_two_hours_however_active(client, rp):
    log_in(client)
    _shift_clock(client, since_login=121 * 60)
    response = client.get("/min-side/")
    assert response.status_code == 302
    assert not _logged_in(client)
    event = AuditEvent.objects.get(action="accounts.session_expired")
    assert event.details == {"reason": "absolute"}


def test_session_cookie_expires_at_the_absolute_limit(client, rp):
    log_in(client)
    assert client.session.get_expiry_age() <= 120 * 60


def _end_session_form(html: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the page's form to the provider (data-autosubmit)."""
    form = re.search(
        r'<form method="post" action="([^"]+)" data-autosubmit>(.*?)</form>', html, re.S
    )
    assert form, html
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2))
    return unescape(form.group(1)), {name: unescape(value) for name, value in fields}


def test_logout_is_rp_initiated_with_id_token_hint(client, rp, settings):
    settings.OIDC_LOGOUT_METHOD = "POST"  # the default, GET: tests/accounts/test_accounts_logout.py
    log_in(client)
    id_token = rp.issued_id_tokens[-1]
    response = client.post("/logg-ut/")
    # A page with a form POSTed to the provider, not a redirect: the id_token (which holds
    # the fødselsnummer) must be in no URL and no browser history.
    assert response.status_code == 200
    assert "Location" not in response
    html = response.content.decode()
    action, fields = _end_session_form(html)
    assert action == f"{rp.issuer}/logout"
    assert fields["id_token_hint"] == id_token
    assert fields["post_logout_redirect_uri"] == "http://testserver/logg-ut/ferdig/"
    assert fields["client_id"] == "iktipet-portal"
    assert fields["state"]
    assert "csrfmiddlewaretoken" not in fields  # a cross-site form carries no CSRF token
    assert "Fullfør utloggingen" in html and 'type="submit"' in html
    urls = re.findall(r'(?:href|src|action)="([^"]*)"', html)
    assert urls and not any(id_token in url for url in urls)
    assert '<script src="/static/accounts/autosubmit.js"' in html
    policy = response["Content-Security-Policy"]
    assert f"form-action 'self' {rp.issuer}" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "no-store" in response["Cache-Control"]
    assert not _logged_in(client)  # the local session ended before the page was shown
    assert AuditEvent.objects.filter(action="accounts.logout").count() == 1

    # The browser submits the form: the provider gets it as a POST body and sends us back.
    sent = httpx.post(action, data=fields, follow_redirects=False, timeout=5)
    assert sent.status_code == 302
    assert sent.headers["location"] == f"http://testserver/logg-ut/ferdig/?state={fields['state']}"
    assert id_token not in sent.headers["location"]
    request = rp.logout_requests[-1]
    assert request["_method"] == "POST" and request["_path"] == "/logout"
    assert request["id_token_hint"] == id_token
    back = client.get(sent.headers["location"].removeprefix("http://testserver"))
    assert back.status_code == 200 and "Du er logget ut" in back.content.decode()
    assert not AuditEvent.objects.filter(action="accounts.logout_state_mismatch").exists()


def test_logout_without_end_session_endpoint_goes_to_logged_out(client, rp, settings):
    log_in(client)
    rp.no_end_session = True
    from django.core.cache import cache

    cache.clear()  # forget the cached discovery document
    response = client.post("/logg-ut/")
    assert response.status_code == 302 and response["Location"] == "/logg-ut/ferdig/"
    assert not _logged_in(client)
    assert AuditEvent.objects.filter(action="accounts.logout").count() == 1


def test_logout_needs_post_with_csrf(rp):
    browser = Client(enforce_csrf_checks=True)
    log_in(browser)
    assert browser.get("/logg-ut/").status_code == 200  # a confirmation page, not a logout
    assert _logged_in(browser)
    assert browser.post("/logg-ut/").status_code == 403  # no CSRF token
    assert _logged_in(browser)
    page = browser.get("/logg-ut/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = browser.post("/logg-ut/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 200 and "data-autosubmit" in response.content.decode()
    assert not _logged_in(browser)


def test_header_has_logout_form_and_min_side_link(client, rp):
    log_in(client)
    html = client.get("/").content.decode()
    assert 'action="/logg-ut/"' in html and 'method="post"' in html
    assert 'href="/min-side/"' in html
    assert "Kari Nordmann-Test" in html


def test_frontchannel_logout_for_another_sid_ends_nothing(rp):
    kari = Client()
    rp.sid = "sid-kari"
    log_in(kari)
    response = Client().get("/logg-ut/frontchannel/", {"iss": rp.issuer, "sid": "sid-other"})
    assert response.status_code == 200
    assert kari.get("/min-side/").status_code == 200
    assert _logged_in(kari)


def test_frontchannel_logout_ends_exactly_the_matching_session(rp):
    first, second, other = Client(), Client(), Client()
    rp.sid = "sid-a"
    log_in(first)
    log_in(second)  # the same provider session in a second tab of ours
    rp.sid = "sid-b"
    log_in(other)
    response = Client().get("/logg-ut/frontchannel/", {"iss": rp.issuer, "sid": "sid-a"})
    assert response.status_code == 200
    assert "frame-ancestors" in response["Content-Security-Policy"]
    assert rp.issuer in response["Content-Security-Policy"]
    assert first.get("/min-side/").status_code == 302
    assert second.get("/min-side/").status_code == 302
    assert other.get("/min-side/").status_code == 200
    assert list(OidcSession.objects.values_list("sid", flat=True)) == ["sid-b"]


def test_frontchannel_logout_from_an_unknown_issuer_ends_nothing(rp):
    kari = Client()
    log_in(kari)
    Client().get("/logg-ut/frontchannel/", {"iss": "https://evil.example", "sid": rp.sid})
    assert kari.get("/min-side/").status_code == 200


def test_frontchannel_logout_without_sid_is_a_bad_request(rp):
    assert Client().get("/logg-ut/frontchannel/", {"iss": rp.issuer}).status_code == 400


@pytest.mark.urls("support.accounts_urls")
def test_step_up_from_substantial_to_high(client, rp):
    log_in(client)
    user_id = client.session["_auth_user_id"]
    response = client.get("/test/hoy/")
    assert response.status_code == 302
    assert query_of(response["Location"]) == {"next": "/test/hoy/", "niva": "high"}

    location = to_idp(client, response["Location"])
    assert query_of(location)["acr_values"] == "idporten-loa-high"
    done = back_to_rp(client, authorize(location))
    assert done.status_code == 302 and done["Location"] == "/test/hoy/"
    assert client.session["_auth_user_id"] == user_id  # the same person
    assert client.get("/test/hoy/").content.startswith(b"high ok person")
    step_up = AuditEvent.objects.get(action="accounts.step_up")
    assert step_up.details["from_level"] == "substantial" and step_up.details["level"] == "high"


@pytest.mark.urls("support.accounts_urls")
def test_logged_in_at_high_needs_no_step_up(client, rp):
    log_in(client, "/logg-inn/?niva=high")
    assert client.get("/test/hoy/").status_code == 200
    assert client.get("/min-side/").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "http://testserver@evil.example/",
        "https:/evil.example",
        "javascript:alert(1)",
        "/%0d%0aLocation:%20https://evil.example",
        "/logg-inn/?next=https://evil.example",
        "",
    ],
)
def test_open_redirects_in_next_land_on_min_side(client, rp, target):
    response = log_in(client, f"/logg-inn/?next={target}" if target else "/logg-inn/")
    assert response.status_code == 302
    assert response["Location"] == "/min-side/"


def test_same_site_path_in_next_is_kept(client, rp):
    response = log_in(client, "/logg-inn/?next=/tjenester/%3Fq%3Dbyggesak")
    assert response["Location"] == "/tjenester/?q=byggesak"
