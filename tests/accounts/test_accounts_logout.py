"""RP-initiated logout by GET (the default, as ID-porten documents it) and the returned state.

POST, the configuration choice, is tested in test_accounts_sessions.py; both against
oidc-provider in test_accounts_oidc_provider.py.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import httpx
import pytest
from django.test import Client

from iktipet.accounts.oidc.flow import EndSession
from iktipet.accounts.oidc.provider import citizen_provider
from iktipet.core.models import AuditEvent
from support.oidc_browser import log_in

pytestmark = pytest.mark.django_db

MISMATCH = "accounts.logout_state_mismatch"


def _end_session_form(html: str) -> tuple[str, str, dict[str, str]]:
    """Method, action and hidden fields of the page's form to the provider."""
    form = re.search(
        r'<form method="(\w+)" action="([^"]+)" data-autosubmit>(.*?)</form>', html, re.S
    )
    assert form, html
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(3))
    return form.group(1), unescape(form.group(2)), {n: unescape(v) for n, v in fields}


def _log_out(client: Client) -> tuple[str, str, dict[str, str]]:
    response = client.post("/logg-ut/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    return _end_session_form(response.content.decode())


def test_logout_sends_the_browser_to_end_session_by_get(client, rp):
    log_in(client)
    id_token = rp.issued_id_tokens[-1]
    method, action, fields = _log_out(client)
    assert (method, action) == ("get", f"{rp.issuer}/logout")
    assert fields == {
        "post_logout_redirect_uri": "http://testserver/logg-ut/ferdig/",
        "client_id": "iktipet-portal",
        "state": fields["state"],
        "id_token_hint": id_token,
    }
    assert len(fields["state"]) >= 32

    # What the browser does with a GET form: the fields become the query.
    sent = httpx.get(f"{action}?{urlencode(fields)}", follow_redirects=False, timeout=5)
    request = rp.logout_requests[-1]
    assert request["_method"] == "GET" and request["id_token_hint"] == id_token
    back = sent.headers["location"]
    assert back == f"http://testserver/logg-ut/ferdig/?state={fields['state']}"

    page = client.get(back.removeprefix("http://testserver"))
    assert page.status_code == 200 and "Du er logget ut" in page.content.decode()
    assert not AuditEvent.objects.filter(action=MISMATCH).exists()
    # Reloading the page is no mismatch either.
    assert "Du er logget ut" in client.get(back.removeprefix("http://testserver")).content.decode()
    assert not AuditEvent.objects.filter(action=MISMATCH).exists()


def test_the_page_lets_the_form_go_to_the_provider(client, rp):
    """Our logout is a form POST; Chrome applies form-action to what follows it."""
    log_in(client)
    response = client.post("/logg-ut/")
    assert f"form-action 'self' {rp.issuer}" in response["Content-Security-Policy"]
    assert '<script src="/static/accounts/autosubmit.js"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected", "returned"),
    [({"state": "forged"}, True, True), ({}, True, False)],
    ids=["other-state", "no-state"],
)
def test_a_state_that_does_not_match_is_said_and_audited(client, rp, query, expected, returned):
    log_in(client)
    _log_out(client)
    page = client.get("/logg-ut/ferdig/", query)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Utloggingen ble ikke bekreftet" in html and "Lukk nettleseren" in html
    assert "Du er logget ut" not in html
    event = AuditEvent.objects.get(action=MISMATCH)
    assert event.details == {"expected": expected, "returned": returned}


def test_a_state_nobody_sent_is_a_mismatch(rp):
    page = Client().get("/logg-ut/ferdig/", {"state": "from-elsewhere"})
    assert "Utloggingen ble ikke bekreftet" in page.content.decode()
    assert AuditEvent.objects.get(action=MISMATCH).details == {
        "expected": False,
        "returned": True,
    }


def test_logged_out_without_a_provider_round_trip_is_plain(client, rp):
    page = client.get("/logg-ut/ferdig/")
    assert "Du er logget ut" in page.content.decode()
    assert not AuditEvent.objects.filter(action=MISMATCH).exists()


def test_the_mismatch_is_explained_in_english(rp):
    english = Client(headers={"accept-language": "en"})
    page = english.get("/logg-ut/ferdig/", {"state": "x"})
    assert "We could not confirm" in page.content.decode()


def test_a_get_form_keeps_the_endpoints_own_query():
    """A GET form drops its action's query: the endpoint's own parameters become fields."""
    end = EndSession("https://idp.example/logout?p=b2c_1&x=", {"state": "s"}, method="GET")
    assert end.form_action == "https://idp.example/logout"
    assert end.form_fields == [("p", "b2c_1"), ("x", ""), ("state", "s")]
    post = EndSession("https://idp.example/logout?p=b2c_1", {"state": "s"}, method="POST")
    assert post.form_action == "https://idp.example/logout?p=b2c_1"
    assert post.form_fields == [("state", "s")]


def test_the_logout_method_is_checked(rp, settings):
    settings.OIDC_LOGOUT_METHOD = "PUT"
    assert "IKTIPET_OIDC_LOGOUT_METHOD must be GET or POST." in citizen_provider().check_config()
