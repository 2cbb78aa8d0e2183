"""Discovery document, JWKS and key rotation."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError
from joserfc.jwk import KeySet

pytestmark = pytest.mark.django_db


def test_discovery_document_has_idporten_shape(testid, client):
    response = client.get("/testid/.well-known/openid-configuration")
    assert response.status_code == 200
    doc = response.json()
    issuer = "http://testserver/testid"
    assert doc["issuer"] == issuer
    assert doc["authorization_endpoint"] == f"{issuer}/authorize"
    assert doc["token_endpoint"] == f"{issuer}/token"
    assert doc["userinfo_endpoint"] == f"{issuer}/userinfo"
    assert doc["end_session_endpoint"] == f"{issuer}/logout"
    assert doc["jwks_uri"] == f"{issuer}/jwks.json"
    assert doc["response_types_supported"] == ["code"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["acr_values_supported"] == ["idporten-loa-substantial", "idporten-loa-high"]
    assert set(doc["token_endpoint_auth_methods_supported"]) == {
        "client_secret_post",
        "client_secret_basic",
    }
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["frontchannel_logout_supported"] is True
    assert doc["frontchannel_logout_session_supported"] is True
    assert doc["authorization_response_iss_parameter_supported"] is True
    assert "openid" in doc["scopes_supported"]
    assert {"pid", "acr", "amr", "sid", "locale"} <= set(doc["claims_supported"])


def test_every_advertised_endpoint_is_served(testid, client):
    doc = client.get("/testid/.well-known/openid-configuration").json()
    for name in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        path = doc[name].removeprefix("http://testserver")
        assert client.get(path).status_code != 404, name
    assert (
        client.get(doc["end_session_endpoint"].removeprefix("http://testserver")).status_code == 200
    )


def test_the_issuer_follows_base_url_at_request_time(testid, client):
    testid.BASE_URL = "https://kommune.example"
    doc = client.get("/testid/.well-known/openid-configuration").json()
    assert doc["issuer"] == "https://kommune.example/testid"
    assert doc["token_endpoint"] == "https://kommune.example/testid/token"


def test_jwks_publishes_only_the_public_signing_key(testid, client):
    from iktipet.testid.models import SigningKey

    keys = client.get("/testid/jwks.json").json()["keys"]
    assert len(keys) == 1
    (key,) = keys
    assert key["kty"] == "RSA" and key["use"] == "sig" and key["alg"] == "RS256"
    assert key["kid"] == SigningKey.objects.get().kid
    assert {"d", "p", "q", "dp", "dq", "qi"}.isdisjoint(key)


def test_rotation_keeps_the_previous_key_published_then_retires_it(rp):
    from iktipet.testid.keys import rotate_signing_key

    _auth, before = rp.tokens()
    old_kid = rp.verified_id_token(before["id_token"]).header["kid"]

    new = rotate_signing_key()
    kids = [key["kid"] for key in rp.client.get("/testid/jwks.json").json()["keys"]]
    assert set(kids) == {old_kid, new.kid}
    assert rp.verified_id_token(before["id_token"]).claims["pid"] == rp.KARI
    _auth, after = rp.tokens()
    assert rp.verified_id_token(after["id_token"]).header["kid"] == new.kid

    newest = rotate_signing_key()
    published = rp.client.get("/testid/jwks.json").json()
    assert {key["kid"] for key in published["keys"]} == {new.kid, newest.kid}
    with pytest.raises(InvalidKeyIdError):
        jwt.decode(before["id_token"], KeySet.import_key_set(published), algorithms=["RS256"])


def test_rotate_command(testid):
    from iktipet.testid.models import SigningKey

    out = StringIO()
    call_command("testid_rotate_key", stdout=out)
    assert SigningKey.objects.get().kid in out.getvalue()
