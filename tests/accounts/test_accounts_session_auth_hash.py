"""The session auth hash (Django's HMAC of the stored password under the secret) computed
once per process for the same secret and password, not on every request with a login; a
changed password or secret gives Django's hash for the new one."""

from __future__ import annotations

from django.contrib.auth import base_user
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import override_settings

from iktipet.accounts import models
from iktipet.accounts.models import User


def _user(password: str = "!unusable-password-of-an-oidc-login") -> User:
    return User(username="kari", password=password)


def _django_s(user: User, secret: str | None = None) -> str:
    return AbstractBaseUser._get_session_auth_hash(user, secret=secret)


def test_the_hash_is_django_s(settings):
    user = _user()
    assert user.get_session_auth_hash() == _django_s(user)
    settings.SECRET_KEY_FALLBACKS = ["an-older-secret-of-fifty-characters-or-so-for-tests"]
    assert list(user.get_session_auth_fallback_hash()) == [
        _django_s(user, "an-older-secret-of-fifty-characters-or-so-for-tests")
    ]


def test_the_hash_is_computed_once_for_the_same_secret_and_password(monkeypatch):
    models._auth_hashes.clear()
    calls = []
    salted_hmac = base_user.salted_hmac

    def counted(*args, **kwargs):
        calls.append(args)
        return salted_hmac(*args, **kwargs)

    monkeypatch.setattr(base_user, "salted_hmac", counted)
    first = _user().get_session_auth_hash()
    assert _user().get_session_auth_hash() == first  # another request's instance
    assert len(calls) == 1


def test_another_password_or_secret_is_another_hash():
    user = _user()
    before = user.get_session_auth_hash()
    user.set_password("a-new-password-that-changes-the-hash")
    changed = user.get_session_auth_hash()
    assert changed != before and changed == _django_s(user)
    with override_settings(SECRET_KEY="another-secret-of-fifty-characters-or-so-for-the-test"):
        other = user.get_session_auth_hash()
        assert other != changed and other == _django_s(user)
    assert user.get_session_auth_hash() == changed


def test_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(models, "_MAX_AUTH_HASHES", 3)
    models._auth_hashes.clear()
    for n in range(10):
        _user(f"!password-{n}").get_session_auth_hash()
    assert len(models._auth_hashes) <= 3
