"""end_session: RP-initiated logout with front-channel logout to the client."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qsl, urlsplit

import pytest

pytestmark = pytest.mark.django_db

LOGGED_OUT = "http://testserver/logg-ut/ferdig/"


def _meta_refresh_target(html: str) -> str:
    match = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
    assert match, html
    return match.group(1).replace("&amp;", "&")


def test_logout_ends_the_session_notifies_the_client_and_returns(rp):
    _auth, tokens = rp.tokens()
    sid = rp.verified_id_token(tokens["id_token"]).claims["sid"]
    response = rp.client.get(
        "/testid/logout",
        {
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": LOGGED_OUT,
            "state": "s-123",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    frame = re.search(r'<iframe class="testid-frontchannel" src="([^"]+)"', html)
    assert frame, html
    src = frame.group(1).replace("&amp;", "&")
    assert src.startswith("http://testserver/logg-ut/frontchannel/?")
    assert dict(parse_qsl(urlsplit(src).query)) == {
        "iss": "http://testserver/testid",
        "sid": sid,
    }
    target = _meta_refresh_target(html)
    assert target == f"{LOGGED_OUT}?state=s-123"
    assert f'href="{LOGGED_OUT}?state=s-123"' in html
    assert "frame-src 'self' http://testserver" in response["Content-Security-Policy"]

    userinfo = rp.client.get(
        "/testid/userinfo", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
    )
    assert userinfo.status_code == 401


def test_logout_by_post_works_the_same(rp):
    from iktipet.testid.models import Login

    _auth, tokens = rp.tokens(staff=True)
    response = rp.client.post(
        "/testid/logout",
        {"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": LOGGED_OUT},
    )
    assert response.status_code == 200
    assert _meta_refresh_target(response.content.decode()) == LOGGED_OUT
    assert Login.objects.get().ended_at is not None


def test_an_unregistered_post_logout_redirect_uri_is_refused(rp):
    from iktipet.testid.models import Login

    _auth, tokens = rp.tokens()
    response = rp.client.get(
        "/testid/logout",
        {
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": "https://evil.example/",
        },
    )
    assert response.status_code == 400
    assert "Location" not in response
    assert Login.objects.get().ended_at is None


def test_a_refused_logout_does_not_log_the_url_with_the_hint(rp, caplog):
    _auth, tokens = rp.tokens()
    with caplog.at_level("DEBUG"):
        response = rp.client.get(
            "/testid/logout",
            {"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": "https://x.test/"},
        )
    assert response.status_code == 400
    assert tokens["id_token"] not in caplog.text
    assert rp.KARI not in caplog.text


def test_a_hint_testid_did_not_sign_is_refused(rp):
    response = rp.client.get(
        "/testid/logout",
        {"id_token_hint": "eyJhbGciOiJub25lIn0.e30.", "post_logout_redirect_uri": LOGGED_OUT},
    )
    assert response.status_code == 400
    assert "Location" not in response


def test_an_expired_hint_still_logs_out(rp):
    from iktipet.testid import keys
    from iktipet.testid.models import Login

    rp.tokens()
    login = Login.objects.get()
    old = int(time.time()) - 3600
    hint = keys.sign(
        {
            "iss": "http://testserver/testid",
            "aud": rp.settings.OIDC_CLIENT_ID,
            "sid": login.sid,
            "iat": old,
            "exp": old + 120,
        }
    )
    response = rp.client.get("/testid/logout", {"id_token_hint": hint})
    assert response.status_code == 200
    login.refresh_from_db()
    assert login.ended_at is not None


def test_a_hint_for_another_client_is_refused(rp):
    _auth, tokens = rp.tokens()
    response = rp.client.get(
        "/testid/logout",
        {"id_token_hint": tokens["id_token"], "client_id": rp.settings.STAFF_OIDC_CLIENT_ID},
    )
    assert response.status_code == 400


def test_without_a_session_it_redirects_straight_to_a_registered_uri(rp):
    response = rp.client.get(
        "/testid/logout",
        {
            "client_id": rp.settings.OIDC_CLIENT_ID,
            "post_logout_redirect_uri": LOGGED_OUT,
            "state": "abc",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LOGGED_OUT}?state=abc"


def test_without_a_client_a_redirect_uri_is_refused(rp):
    response = rp.client.get("/testid/logout", {"post_logout_redirect_uri": LOGGED_OUT})
    assert response.status_code == 400


def test_without_anything_it_just_says_logged_out(rp):
    response = rp.client.get("/testid/logout")
    assert response.status_code == 200
    assert "Du er logget ut av TestID" in response.content.decode()


def test_logout_is_audited_without_the_fodselsnummer(rp):
    from iktipet.core.models import AuditEvent

    _auth, tokens = rp.tokens()
    rp.client.get("/testid/logout", {"id_token_hint": tokens["id_token"]})
    events = {event.action: event for event in AuditEvent.objects.all()}
    assert {"testid.login", "testid.logout"} <= set(events)
    assert events["testid.login"].details["acr"] == "idporten-loa-substantial"
    for event in events.values():
        assert rp.KARI not in str(event.details)
