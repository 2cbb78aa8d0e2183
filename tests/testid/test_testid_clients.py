"""Client registration from settings, and the demo loader."""

from __future__ import annotations

import pytest
from oauth2_provider.models import get_application_model

pytestmark = pytest.mark.django_db


def test_both_clients_are_registered_idempotently(testid):
    from iktipet.testid.clients import ensure_clients

    ensure_clients()
    ensure_clients()
    apps = {app.client_id: app for app in get_application_model().objects.all()}
    assert set(apps) == {testid.OIDC_CLIENT_ID, testid.STAFF_OIDC_CLIENT_ID}
    citizen = apps[testid.OIDC_CLIENT_ID]
    assert citizen.redirect_uris == "http://testserver/logg-inn/callback/"
    assert citizen.post_logout_redirect_uris == "http://testserver/logg-ut/ferdig/"
    assert apps[testid.STAFF_OIDC_CLIENT_ID].redirect_uris == (
        "http://testserver/ansatt/logg-inn/callback/"
    )
    assert citizen.client_type == "confidential" and citizen.algorithm == "RS256"


def test_registration_follows_settings_at_call_time(testid):
    from iktipet.testid.clients import client_secret_for, ensure_clients

    ensure_clients()
    testid.BASE_URL = "http://localhost:8123"
    ensure_clients()
    app = get_application_model().objects.get(client_id=testid.OIDC_CLIENT_ID)
    assert app.redirect_uris == "http://localhost:8123/logg-inn/callback/"
    assert app.client_secret == client_secret_for(testid.OIDC_CLIENT_ID)


def test_the_relying_partys_secret_is_used_when_it_points_at_testid(testid):
    from iktipet.testid.clients import client_secret_for

    testid.OIDC_ISSUER = "http://testserver/testid"
    testid.OIDC_CLIENT_SECRET = "configured-secret"
    assert client_secret_for(testid.OIDC_CLIENT_ID) == "configured-secret"
    testid.OIDC_ISSUER = "https://idporten.no"
    derived = client_secret_for(testid.OIDC_CLIENT_ID)
    assert derived != "configured-secret" and len(derived) == 64


def test_demo_loader_registers_clients_and_prints_test_logins(testid):
    from iktipet.core.demo import login_hints
    from iktipet.testid.demo_data import load_testid

    load_testid()
    load_testid()
    assert get_application_model().objects.count() == 2
    hints = login_hints()
    assert any("Kari Nordmann-Test" in hint and "17819049912" in hint for hint in hints)
    assert any("Sara Saksbehandler" in hint and "Næringsetaten" in hint for hint in hints)
    assert any("Ola Operatør" in hint for hint in hints)


def test_demo_loader_does_nothing_when_testid_is_off(settings):
    from iktipet.testid.demo_data import load_testid

    settings.TESTID_ENABLED = False
    load_testid()
    assert not get_application_model().objects.exists()


def test_tokens_point_at_one_inactive_provider_user(rp):
    from django.contrib.auth import get_user_model

    rp.tokens()
    rp.tokens(staff=True)
    (user,) = get_user_model().objects.all()
    assert user.username == "testid-provider"
    assert not user.is_active and not user.has_usable_password()


def test_housekeeping_removes_expired_codes_and_old_logins(rp):
    import datetime

    from django.utils import timezone
    from oauth2_provider.models import get_grant_model

    from iktipet.testid.models import Login
    from iktipet.testid.tasks import purge_expired_now

    auth = rp.authorization()
    rp.code_after(auth, fnr=rp.KARI, level="substantial")
    rp.tokens()
    get_grant_model().objects.update(expires=timezone.now() - datetime.timedelta(seconds=1))
    old, recent = Login.objects.order_by("pk")
    Login.objects.filter(pk=old.pk).update(
        authenticated_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert purge_expired_now() == 1
    assert list(Login.objects.all()) == [recent]
    assert not get_grant_model().objects.exists()
