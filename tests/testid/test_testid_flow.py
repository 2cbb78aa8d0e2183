"""The authorization code flow with PKCE, end to end through HTTP."""

from __future__ import annotations

import pytest
from joserfc import jwt

pytestmark = pytest.mark.django_db


def test_code_flow_with_client_secret_post_gives_an_idporten_shaped_id_token(rp, testid):
    auth, tokens = rp.tokens()

    assert tokens["token_type"] == "Bearer"
    assert "refresh_token" not in tokens
    token = rp.verified_id_token(tokens["id_token"])
    assert token.header["alg"] == "RS256"
    jwks_kids = {key["kid"] for key in rp.client.get("/testid/jwks.json").json()["keys"]}
    assert token.header["kid"] in jwks_kids
    claims = token.claims
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": "http://testserver/testid"},
        aud={"essential": True, "value": auth.client_id},
        nonce={"essential": True, "value": auth.params["nonce"]},
    ).validate(claims)
    assert claims["pid"] == rp.KARI
    assert claims["acr"] == "idporten-loa-substantial"
    assert claims["amr"] == ["TestID"]
    assert claims["locale"] == "nb"
    assert claims["sid"]
    assert claims["exp"] - claims["iat"] == 120
    assert isinstance(claims["auth_time"], int)
    assert claims["sub"] and rp.KARI not in claims["sub"]
    assert "at_hash" in claims


def test_code_flow_with_client_secret_basic(rp):
    auth = rp.authorization()
    code = rp.code_after(auth, fnr=rp.KARI, level="substantial")
    response = rp.token(auth, code, method="basic")
    assert response.status_code == 200, response.content
    assert rp.verified_id_token(response.json()["id_token"]).claims["pid"] == rp.KARI


def test_authorization_response_names_the_issuer(rp):
    auth = rp.authorization()
    response = rp.log_in(auth, fnr=rp.KARI, level="substantial")
    assert rp.query_of(response["Location"])["iss"] == "http://testserver/testid"


def test_userinfo_answers_sub_pid_and_locale(rp):
    _auth, tokens = rp.tokens(ui_locales="en nb")
    response = rp.client.get(
        "/testid/userinfo", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
    )
    assert response.status_code == 200, response.content
    info = response.json()
    id_claims = rp.verified_id_token(tokens["id_token"]).claims
    assert info == {"sub": id_claims["sub"], "pid": rp.KARI, "locale": "en"}
    assert id_claims["locale"] == "en"


def test_userinfo_refuses_a_missing_or_unknown_token(rp):
    assert rp.client.get("/testid/userinfo").status_code == 401
    response = rp.client.get("/testid/userinfo", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401


def test_login_page_lists_synthetic_persons_with_masked_numbers(rp):
    response = rp.client.get(rp.authorization().url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kari Nordmann-Test" in html
    assert "178190 *****" in html
    assert rp.KARI not in html
    assert 'for="id_fnr"' in html and 'for="id_level_1"' in html


def test_choosing_a_listed_person_logs_in_as_that_person(rp):
    from iktipet.testid.identities import test_persons

    person = next(p for p in test_persons() if p.name == "Ingrid Bakke-Test")
    _auth, tokens = rp.tokens(form={"person": person.key, "level": "substantial"})
    assert rp.verified_id_token(tokens["id_token"]).claims["pid"] == person.pid


def test_high_level_requested_is_preselected_and_issued(rp):
    auth = rp.authorization(acr_values="idporten-loa-high")
    html = rp.client.get(auth.url).content.decode()
    assert 'id="id_level_1" name="level" value="high" checked' in html
    code = rp.code_after(auth, fnr=rp.KARI, level="high")
    claims = rp.verified_id_token(rp.token(auth, code).json()["id_token"]).claims
    assert claims["acr"] == "idporten-loa-high"


def test_a_lower_level_than_requested_is_what_the_id_token_says(rp):
    _auth, tokens = rp.tokens(
        acr_values="idporten-loa-high", form={"fnr": rp.KARI, "level": "substantial"}
    )
    claims = rp.verified_id_token(tokens["id_token"]).claims
    assert claims["acr"] == "idporten-loa-substantial"


def test_sub_is_stable_per_person_and_sid_new_per_login(rp):
    _a, first = rp.tokens()
    _b, second = rp.tokens()
    one = rp.verified_id_token(first["id_token"]).claims
    two = rp.verified_id_token(second["id_token"]).claims
    assert one["sub"] == two["sub"]
    assert one["sid"] != two["sid"]


def test_staff_login_carries_profile_and_roles(rp, testid):
    testid.STAFF_OIDC_ROLES_CLAIM = "groups"
    auth = rp.authorization(staff=True)
    html = rp.client.get(auth.url).content.decode()
    assert "Sara Saksbehandler" in html and "Næringsetaten, saksbehandler" in html
    code = rp.code_after(auth, staff="ola.operator")
    tokens = rp.token(auth, code).json()
    claims = rp.verified_id_token(tokens["id_token"]).claims
    assert claims["aud"] == testid.STAFF_OIDC_CLIENT_ID
    assert claims["groups"] == ["operator"]
    assert claims["name"] == "Ola Operatør"
    assert claims["preferred_username"] == "ola.operator"
    assert claims["email"] == "ola.operator@demo.iktipet.invalid"
    assert "pid" not in claims and claims["sid"]
    info = rp.client.get(
        "/testid/userinfo", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
    ).json()
    assert info["groups"] == ["operator"] and info["sub"] == claims["sub"]


def test_staff_roles_name_the_agency(rp):
    _auth, tokens = rp.tokens(staff=True, form={"staff": "pal.plan"})
    claims = rp.verified_id_token(tokens["id_token"]).claims
    assert claims["roles"] == ["plan-og-bygningsetaten:case_worker"]


def test_cancel_sends_access_denied_back(rp):
    auth = rp.authorization()
    response = rp.client.post(auth.url, {"action": "cancel"})
    assert response.status_code == 302
    query = rp.query_of(response["Location"])
    assert response["Location"].startswith(auth.redirect_uri)
    assert query["error"] == "access_denied"
    assert query["state"] == auth.params["state"]


def test_login_page_is_translated(rp, testid):
    rp.client.cookies[testid.LANGUAGE_COOKIE_NAME] = "en"
    html = rp.client.get(rp.authorization().url).content.decode()
    assert "Log in with TestID" in html
    assert "Or enter a synthetic national identity number" in html
