"""Client authentication at the token endpoint, and providers that fail."""

from __future__ import annotations

import base64
import json
import logging
import socket

import pytest
from django.test import Client
from joserfc.jwk import RSAKey

from iktipet.accounts.oidc.provider import citizen_provider
from iktipet.core.models import AuditEvent
from support.oidc_browser import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_key(tmp_path):
    key = RSAKey.generate_key(2048)
    path = tmp_path / "client.pem"
    path.write_bytes(key.as_pem(private=True))
    return key, path


def _use_private_key_jwt(settings, rp, key, path, kid=""):
    settings.OIDC_CLIENT_AUTH = "private_key_jwt"
    settings.OIDC_CLIENT_KEY = str(path)
    settings.OIDC_CLIENT_KEY_ID = kid
    public = key.as_dict(private=False)
    public["kid"] = kid or key.thumbprint()
    rp.add_client(
        "iktipet-portal",
        auth="private_key_jwt",
        public_jwk=public,
        redirect_uris=["http://testserver/logg-inn/callback/"],
    )


def test_private_key_jwt(client, rp, settings, client_key):
    _use_private_key_jwt(settings, rp, *client_key)
    response = log_in(client)
    assert response.status_code == 302 and response["Location"] == "/min-side/"
    form = rp.token_requests[-1]["form"]
    assert "client_secret" not in form
    assert form["client_assertion_type"].endswith("client-assertion-type:jwt-bearer")
    assert rp.token_requests[-1]["authorization"] is None


def test_private_key_jwt_with_a_registered_kid(client, rp, settings, client_key):
    _use_private_key_jwt(settings, rp, *client_key, kid="idporten-kid-2026")
    assert log_in(client)["Location"] == "/min-side/"


def test_private_key_jwt_assertions_are_single_use(client, rp, settings, client_key):
    _use_private_key_jwt(settings, rp, *client_key)
    log_in(client)
    log_in(Client())
    jtis = rp.used_assertion_ids
    assert len(jtis) == 2


def test_wrong_private_key_is_refused_by_the_provider(client, rp, settings, client_key, tmp_path):
    key, path = client_key
    _use_private_key_jwt(settings, rp, key, path)
    other = tmp_path / "other.pem"
    other.write_bytes(RSAKey.generate_key(2048).as_pem(private=True))
    settings.OIDC_CLIENT_KEY = str(other)
    response = log_in(client)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def _use_client_secret_basic(settings, rp, *, client_id, registered, ours):
    """The provider knows ``client_id`` by the ``registered`` secret; we send ``ours``."""
    settings.OIDC_CLIENT_AUTH = "client_secret_basic"
    settings.OIDC_CLIENT_ID = client_id
    settings.OIDC_CLIENT_SECRET = ours
    rp.add_client(
        client_id,
        secret=registered,
        auth="client_secret_basic",
        redirect_uris=["http://testserver/logg-inn/callback/"],
    )


def test_client_secret_basic(client, rp, settings):
    secret = "portal-secret"
    _use_client_secret_basic(
        settings, rp, client_id="iktipet-portal", registered=secret, ours=secret
    )
    assert log_in(client)["Location"] == "/min-side/"
    assert rp.token_requests[-1]["authorization"].startswith("Basic ")
    assert "client_secret" not in rp.token_requests[-1]["form"]


#: A base64 secret (``+``, ``/``, ``=``) with a ``%`` and a space: each must arrive unaltered.
ODD_SECRET = "q+Vx/7k=%41 b%"


def test_client_secret_basic_form_url_encodes_id_and_secret(client, rp, settings):
    """RFC 6749 §2.3.1: client_id and client_secret are each form-URL-encoded, then base64."""
    _use_client_secret_basic(
        settings, rp, client_id="iktipet:portal", registered=ODD_SECRET, ours=ODD_SECRET
    )
    assert log_in(client)["Location"] == "/min-side/"
    expected = base64.b64encode(b"iktipet%3Aportal:q%2BVx%2F7k%3D%2541+b%25").decode()
    assert rp.token_requests[-1]["authorization"] == f"Basic {expected}"


def test_a_refused_token_request_is_audited_with_the_providers_error(client, rp, settings, caplog):
    _use_client_secret_basic(
        settings,
        rp,
        client_id="iktipet-portal",
        registered="the-registered-secret",
        ours="our-wrong-secret",
    )
    # A provider that echoes what it got must not put our secret in our logs.
    rp.client_error_description = "no client with secret our-wrong-secret"
    with caplog.at_level(logging.WARNING, logger="iktipet.accounts.oidc.flow"):
        response = log_in(client, "/logg-inn/?next=/min-side/")
    assert response.status_code == 400
    assert "Innloggingen kunne ikke fullføres" in response.content.decode()
    failed = AuditEvent.objects.get(action="accounts.login_failed")
    assert failed.details == {
        "provider": "citizen",
        "reason": "token_error",
        "error": "invalid_client",
        "error_description": "no client with secret [secret]",
    }
    logged = [r for r in caplog.records if r.getMessage() == "token endpoint refused the code"]
    assert [(r.error, r.error_description, r.status_code) for r in logged] == [
        ("invalid_client", "no client with secret [secret]", 401)
    ]
    assert "our-wrong-secret" not in json.dumps(failed.details) + caplog.text


def test_a_refused_token_request_is_explained_in_english(rp, settings):
    settings.OIDC_CLIENT_SECRET = "wrong"
    response = log_in(Client(headers={"accept-language": "en"}))
    assert response.status_code == 400
    assert "The login could not be completed" in response.content.decode()


def test_missing_key_file_gives_a_translated_page(client, rp, settings, tmp_path):
    settings.OIDC_CLIENT_AUTH = "private_key_jwt"
    settings.OIDC_CLIENT_KEY = str(tmp_path / "nope.pem")
    response = log_in(client)
    assert response.status_code == 503
    assert "ikke satt opp riktig" in response.content.decode()
    problems = citizen_provider().check_config()
    assert any("no file at" in problem for problem in problems)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_provider_gives_a_translated_page(client, rp, settings):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{_closed_port()}"
    response = client.get("/logg-inn/")
    assert response.status_code == 503
    assert "svarer ikke akkurat nå" in response.content.decode()


def test_unreachable_provider_in_english(client, rp, settings):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{_closed_port()}"
    response = client.get("/logg-inn/", headers={"accept-language": "en"})
    assert response.status_code == 503
    assert "is not responding" in response.content.decode()


def test_broken_discovery_gives_a_translated_page(client, rp):
    rp.broken = "discovery"
    response = client.get("/logg-inn/")
    assert response.status_code == 503
    assert "svarer ikke akkurat nå" in response.content.decode()


def test_discovery_for_another_issuer_is_refused(client, rp, settings):
    settings.OIDC_ISSUER = rp.issuer + "/other"
    response = client.get("/logg-inn/")
    assert response.status_code == 503


def test_broken_token_endpoint_gives_a_translated_page(client, rp):
    location = client.get("/logg-inn/")["Location"]
    rp.broken = "token"
    from support.oidc_browser import authorize, back_to_rp

    response = back_to_rp(client, authorize(location))
    assert response.status_code == 503
    assert "svarer ikke akkurat nå" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_works_when_the_provider_is_gone(client, rp, settings):
    log_in(client)
    from django.core.cache import cache

    cache.clear()
    settings.OIDC_ISSUER = f"http://127.0.0.1:{_closed_port()}"
    response = client.post("/logg-ut/")
    assert response.status_code == 302 and response["Location"] == "/logg-ut/ferdig/"
    assert "_auth_user_id" not in client.session


def test_check_config_names_what_is_missing(settings):
    settings.OIDC_ISSUER = ""
    assert "IKTIPET_OIDC_ISSUER" in citizen_provider().check_config()[0]
    settings.OIDC_ISSUER = "http://idp.example"
    settings.OIDC_CLIENT_AUTH = "client_secret_post"
    settings.OIDC_CLIENT_SECRET = ""
    problems = citizen_provider().check_config()
    assert any("https" in p for p in problems)
    assert any("CLIENT_SECRET" in p for p in problems)
