"""Citizen login against an OIDC provider over HTTP: the happy path and every refusal."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from joserfc.jwk import RSAKey

from iktipet.accounts.models import Person, User
from iktipet.core.models import AuditEvent
from support.oidc_browser import KARI, authorize, back_to_rp, log_in, query_of, to_idp
from support.oidc_double import DROP

pytestmark = pytest.mark.django_db


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def _refused(response, reason):
    """A translated error page, no session, and the audit log names ``reason``."""
    assert response.status_code in (400, 503)
    assert "Innloggingen ble ikke fullført" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    failed = AuditEvent.objects.filter(action="accounts.login_failed").first()
    assert failed is not None and failed.details["reason"] == reason


def test_login_completes_with_pkce_state_nonce_and_default_level(client, rp):
    client.get("/")  # an anonymous session exists before login
    location = to_idp(client, "/logg-inn/?next=/min-side/")
    asked = query_of(location)
    assert location.startswith(f"{rp.issuer}/authorize?")
    assert asked["response_type"] == "code"
    assert asked["client_id"] == "iktipet-portal"
    assert asked["redirect_uri"] == "http://testserver/logg-inn/callback/"
    assert asked["code_challenge_method"] == "S256"
    assert len(asked["code_challenge"]) == 43
    assert len(asked["state"]) >= 32 and len(asked["nonce"]) >= 32
    assert asked["acr_values"] == "idporten-loa-substantial"
    assert "openid" in asked["scope"].split()
    key_before = client.session.session_key

    response = back_to_rp(client, authorize(location))

    assert response.status_code == 302
    assert response["Location"] == "/min-side/"
    assert _logged_in(client)
    assert client.session.session_key != key_before  # rotated at login
    token_form = rp.token_requests[-1]["form"]
    assert token_form["client_secret"] == "portal-secret"  # client_secret_post
    assert 43 <= len(token_form["code_verifier"]) <= 128
    user = User.objects.get(pk=client.session["_auth_user_id"])
    assert user.kind == "citizen"
    assert (user.first_name, user.last_name) == ("Kari", "Nordmann-Test")  # population register
    event = AuditEvent.objects.get(action="accounts.login")
    assert event.actor_id == user.pk
    assert event.details["level"] == "substantial"


def test_person_pid_is_encrypted_and_looked_up_by_keyed_hash(client, rp):
    log_in(client)
    log_in(Client())  # the same person again: the same record
    person = Person.objects.get()
    assert person.pid == KARI
    assert KARI not in person.pid_encrypted and KARI not in person.pid_hash
    assert person.pid_masked == "178190 *****"
    assert User.objects.filter(kind="citizen").count() == 1
    assert KARI not in User.objects.get().username


def test_level_high_asks_for_idporten_loa_high(client, rp):
    asked = query_of(to_idp(client, "/logg-inn/?niva=high"))
    assert asked["acr_values"] == "idporten-loa-high"


def test_unknown_level_is_a_clear_error(client, rp):
    response = client.get("/logg-inn/?niva=extreme")
    assert response.status_code == 400
    assert "Ukjent sikkerhetsnivå" in response.content.decode()


def test_tampered_signature_is_rejected(client, rp):
    rp.tamper_signature = True
    _refused(log_in(client), "bad_signature")
    assert not _logged_in(client)
    assert not Person.objects.exists()


def test_wrong_audience_is_rejected(client, rp):
    rp.claims_override = {"aud": "some-other-client"}
    _refused(log_in(client), "wrong_audience")
    assert not _logged_in(client)


def test_several_audiences_without_our_azp_are_rejected(client, rp):
    rp.claims_override = {"aud": ["iktipet-portal", "other"], "azp": "other"}
    _refused(log_in(client), "wrong_audience")
    assert not _logged_in(client)


def test_wrong_issuer_in_token_is_rejected(client, rp):
    rp.claims_override = {"iss": "https://idporten.example"}
    _refused(log_in(client), "wrong_issuer")
    assert not _logged_in(client)


def test_replayed_callback_is_rejected(client, rp):
    callback = authorize(to_idp(client, "/logg-inn/"))
    assert back_to_rp(client, callback).status_code == 302
    client.post("/logg-ut/")
    assert not _logged_in(client)

    _refused(back_to_rp(client, callback), "state_mismatch")  # the same callback again
    assert not _logged_in(client)


def test_replayed_code_with_a_fresh_state_is_rejected_by_the_provider(client, rp):
    first = authorize(to_idp(client, "/logg-inn/"))
    back_to_rp(client, first)
    client.post("/logg-ut/")
    fresh = query_of(to_idp(client, "/logg-inn/"))  # a new login with a new state …
    old_code = query_of(first)["code"]  # … but the old code
    response = client.get(f"/logg-inn/callback/?code={old_code}&state={fresh['state']}")
    _refused(response, "token_error")
    assert not _logged_in(client)


def test_wrong_nonce_is_rejected(client, rp):
    rp.claims_override = {"nonce": "not-the-nonce-we-sent"}
    _refused(log_in(client), "wrong_nonce")
    assert not _logged_in(client)


def test_missing_nonce_is_rejected(client, rp):
    rp.claims_override = {"nonce": DROP}
    _refused(log_in(client), "wrong_nonce")


def test_state_mismatch_is_rejected(client, rp):
    callback = authorize(to_idp(client, "/logg-inn/"))
    tampered = callback.replace("state=", "state=x")
    _refused(back_to_rp(client, tampered), "state_mismatch")
    assert not _logged_in(client)


def test_callback_in_another_browser_is_rejected(client, rp):
    """Login CSRF: a code obtained in the attacker's browser is useless in the victim's."""
    callback = authorize(to_idp(client, "/logg-inn/"))
    victim = Client()
    _refused(back_to_rp(victim, callback), "state_mismatch")
    assert not _logged_in(victim)


def test_wrong_iss_in_authorization_response_is_rejected(client, rp):
    callback = authorize(to_idp(client, "/logg-inn/"))
    _refused(back_to_rp(client, callback.replace("iss=http", "iss=https")), "iss_mismatch")


def test_missing_acr_is_rejected(client, rp):
    rp.claims_override = {"acr": DROP}
    _refused(log_in(client), "acr_missing")
    assert not _logged_in(client)


def test_insufficient_acr_is_rejected(client, rp):
    rp.acr = "idporten-loa-substantial"
    response = log_in(client, "/logg-inn/?niva=high")
    _refused(response, "acr_insufficient")
    assert "høyere sikkerhetsnivå" in response.content.decode()
    assert not _logged_in(client)


def test_unknown_acr_value_is_rejected(client, rp):
    rp.acr = "something-else"
    _refused(log_in(client), "acr_insufficient")


def test_expired_token_is_rejected(client, rp):
    now = int(time.time())
    rp.claims_override = {"iat": now - 900, "exp": now - 780}
    _refused(log_in(client), "expired")
    assert not _logged_in(client)


def test_token_issued_in_the_future_is_rejected(client, rp):
    now = int(time.time())
    rp.claims_override = {"iat": now + 600, "exp": now + 720}
    _refused(log_in(client), "iat_in_future")


def test_unknown_kid_refetches_jwks_once_then_rejects(client, rp):
    log_in(Client())  # keys are cached now
    fetched = rp.jwks_fetches
    rp.sign_key = RSAKey.generate_key(2048, parameters={"kid": "not-published"})
    _refused(log_in(client), "unknown_kid")
    assert rp.jwks_fetches == fetched + 1
    assert not _logged_in(client)


def test_rotated_key_is_picked_up_by_refetching_jwks(client, rp):
    log_in(Client())
    new_key = RSAKey.generate_key(2048, parameters={"kid": "key-2", "use": "sig"})
    rp.published = [rp.key, new_key]
    rp.sign_key = new_key
    assert log_in(client).status_code == 302
    assert _logged_in(client)


def test_alg_none_is_rejected(client, rp):
    rp.claims_override = {}
    original = rp.make_id_token

    def unsigned(client_id, nonce, acr):
        token = original(client_id, nonce, acr)
        import base64
        import json

        payload = token.split(".")[1]
        head = base64.urlsafe_b64encode(json.dumps({"alg": "none"}).encode()).rstrip(b"=")
        return f"{head.decode()}.{payload}."

    rp.make_id_token = unsigned
    _refused(log_in(client), "alg_not_allowed")


def test_synthetic_pid_is_refused_where_test_data_is_not_allowed(client, rp, settings):
    settings.ALLOW_SYNTHETIC_IDS = False
    response = log_in(client)
    _refused(response, "synthetic_pid")
    assert "syntetisk testnummer" in response.content.decode()
    assert not Person.objects.exists()


def test_missing_pid_is_refused(client, rp):
    rp.pid = None
    _refused(log_in(client), "no_pid")


def test_discovery_is_cached(client, rp):
    log_in(client)
    log_in(Client())
    assert rp.discovery_fetches == 1


def test_user_cancelling_at_the_provider_gets_a_friendly_page(client, rp):
    state = query_of(to_idp(client, "/logg-inn/"))["state"]
    response = client.get(f"/logg-inn/callback/?error=access_denied&state={state}")
    assert response.status_code == 200
    assert "Du avbrøt innloggingen" in response.content.decode()


def test_already_logged_in_at_the_level_goes_straight_to_next(client, rp):
    log_in(client)
    before = len(rp.authorize_requests)
    response = client.get("/logg-inn/?next=/tjenester/")
    assert response.status_code == 302 and response["Location"] == "/tjenester/"
    assert len(rp.authorize_requests) == before


def test_pid_is_never_logged_or_audited(client, rp, caplog):
    caplog.set_level("DEBUG")
    log_in(client)
    client.get("/min-side/")
    client.post("/logg-ut/")
    rp.claims_override = {"aud": "x"}
    log_in(Client())
    assert KARI not in caplog.text
    for event in AuditEvent.objects.all():
        assert KARI not in str(event.details) and KARI not in event.actor_label


# The limit is a fixed window of 60 s: 61 requests put at least 31 in one window, wherever
# the window boundary falls.


def test_login_is_rate_limited(client, rp):
    statuses = [client.get("/logg-inn/").status_code for _ in range(61)]
    assert statuses[:30] == [302] * 30
    assert 429 in statuses


def test_callback_is_rate_limited(client, rp):
    statuses = [client.get("/logg-inn/callback/?state=x&code=y").status_code for _ in range(61)]
    assert statuses[:30] == [400] * 30
    assert 429 in statuses
