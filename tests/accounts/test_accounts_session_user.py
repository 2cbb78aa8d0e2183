"""The session and its user read in one statement (accounts.Session, core.sessions,
accounts.middleware.AuthenticationMiddleware), with Django's checks kept: the user comes
from the session's data, never from the row's user column alone, and a session whose auth
hash, backend, user or expiry no longer holds gets no user. ``request.user`` is the user
itself once read, and costs nothing when no one reads it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, login, logout
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.functional import LazyObject

from iktipet.accounts.middleware import AuthenticationMiddleware
from iktipet.accounts.models import Session, User
from support.oidc_browser import log_in

pytestmark = pytest.mark.django_db

BACKEND = "iktipet.accounts.backends.OidcBackend"
PAGE = "/logg-ut/"  # a logged-in page that reads nothing but the session and its user


def _citizen(username: str = "kari") -> User:
    return User.objects.create(
        username=username, first_name="Kari", last_name="Test", kind=User.Kind.CITIZEN
    )


def _logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


def _user_of(client: Client, path: str = PAGE):
    return client.get(path).wsgi_request.user


def _user_reads(queries) -> list[str]:
    """The statements that read a user by itself (not joined with the session)."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "accounts_user"') and "accounts_session" not in q["sql"]
    ]


def test_a_logged_in_request_reads_its_session_and_user_in_one_statement():
    user = _citizen()
    client = _logged_in(user)
    client.get(PAGE)  # the login clock started and saved
    assert Session.objects.get(pk=client.session.session_key).user_id == user.pk
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PAGE)
    assert response.status_code == 200
    assert response.wsgi_request.user == user
    assert response.wsgi_request.user.is_authenticated
    sessions = [q["sql"] for q in queries if "accounts_session" in q["sql"]]
    assert len(sessions) == 1 and 'JOIN "accounts_user"' in sessions[0]
    assert _user_reads(queries) == []


def test_a_session_whose_auth_hash_no_longer_matches_gets_no_user_and_is_flushed():
    user = _citizen()
    client = _logged_in(user)
    old_key = client.session.session_key
    user.set_password("a-new-password-that-changes-the-hash")
    user.save()
    assert _user_of(client).is_authenticated is False
    assert not Session.objects.filter(pk=old_key).exists()  # flushed, as Django does
    assert _user_of(client).is_authenticated is False


def test_a_session_without_an_auth_hash_gets_no_user():
    user = _citizen()
    client = _logged_in(user)
    session = client.session
    del session[HASH_SESSION_KEY]
    session.save()
    assert _user_of(client).is_authenticated is False


def test_a_deleted_user_gets_no_user():
    user = _citizen()
    client = _logged_in(user)
    client.get(PAGE)
    User.objects.filter(pk=user.pk).delete()
    with CaptureQueriesContext(connection) as queries:
        assert _user_of(client).is_authenticated is False
    assert len(_user_reads(queries)) == 1  # the join found none: read by itself, as Django


def test_an_inactive_user_gets_no_user():
    user = _citizen()
    client = _logged_in(user)
    client.get(PAGE)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert _user_of(client).is_authenticated is False


def test_an_expired_session_gets_no_user():
    user = _citizen()
    client = _logged_in(user)
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert _user_of(client).is_authenticated is False


def test_a_backend_no_longer_configured_gets_no_user(settings):
    user = _citizen()
    client = _logged_in(user)
    client.get(PAGE)
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    assert _user_of(client).is_authenticated is False


def test_the_row_s_user_column_is_never_the_authority():
    """Another user's id in the column: the data's user is read, by itself."""
    kari, ola = _citizen("kari"), _citizen("ola")
    client = _logged_in(kari)
    client.get(PAGE)
    Session.objects.filter(pk=client.session.session_key).update(user=ola)
    with CaptureQueriesContext(connection) as queries:
        assert _user_of(client) == kari
    assert len(_user_reads(queries)) == 1
    # The column is written from the data again on the next save.
    session = client.session
    session["something"] = "changed"
    session.save()
    assert Session.objects.get(pk=session.session_key).user_id == kari.pk


def test_a_column_without_a_session_user_gives_no_user():
    """A session without Django's login keys whose column names a user: anonymous."""
    user = _citizen()
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["something"] = "else"
    store.save()
    Session.objects.filter(pk=store.session_key).update(user=user)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    assert _user_of(client).is_authenticated is False


def test_a_session_hash_made_with_a_fallback_secret_keeps_the_user_and_a_new_key(settings):
    user = _citizen()
    client = _logged_in(user)
    client.get(PAGE)
    old_key = client.session.session_key
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    response = client.get(PAGE)
    assert response.wsgi_request.user == user
    new_key = client.session.session_key
    assert new_key != old_key  # cycled, as Django's get_user does
    assert client.session[HASH_SESSION_KEY] == user.get_session_auth_hash()
    assert Session.objects.get(pk=new_key).user_id == user.pk


def test_logout_then_the_old_cookie_gets_no_user(client, rp):
    log_in(client)
    old_key = client.session.session_key
    assert _user_of(client, "/min-side/").is_authenticated
    client.post("/logg-ut/")
    assert not Session.objects.filter(pk=old_key, user__isnull=False).exists()
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert _user_of(replay).is_authenticated is False
    assert _user_of(client).is_authenticated is False


def test_login_gives_a_new_session_key(client, rp):
    """Session fixation: the key the browser had before the login is not the logged-in one."""
    client.get("/logg-inn/?next=/min-side/")  # a session (the pending login) before the login
    before = client.session.session_key
    assert before and Session.objects.filter(pk=before, user=None).exists()
    log_in(client)
    after = client.session.session_key
    assert after != before
    row = Session.objects.get(pk=after)
    assert row.user_id == int(client.session[SESSION_KEY])
    assert client.session[BACKEND_SESSION_KEY] == BACKEND
    fixed = Client()
    fixed.cookies[settings.SESSION_COOKIE_NAME] = before
    assert _user_of(fixed).is_authenticated is False


def test_cached_sessions_still_get_their_user(settings):
    settings.SESSION_ENGINE = "iktipet.core.sessions.cached_db"
    user = _citizen()
    client = _logged_in(user)
    assert _user_of(client) == user  # the cache: the user read by itself
    assert _user_of(client) == user
    user.set_password("a-new-password-that-changes-the-hash")
    user.save()
    assert _user_of(client).is_authenticated is False


# request.user: a lazy object until it is first read, then the user itself on the request;
# login() and logout() inside a view win over it; no read when no one asks.


def _session_key(user: User | None) -> str | None:
    return _logged_in(user).session.session_key if user is not None else None


def _run(view: Callable[[HttpRequest], HttpResponse], user: User | None = None) -> HttpRequest:
    """``view`` behind the session and authentication middleware, with ``user``'s session."""
    request = RequestFactory().get("/")
    key = _session_key(user)
    if key:
        request.COOKIES[settings.SESSION_COOKIE_NAME] = key
    handler = SessionMiddleware(AuthenticationMiddleware(view))
    handler(request)
    return request


def _ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def test_after_the_first_read_request_user_is_the_user_itself():
    user = _citizen()
    seen = {}

    def view(request):
        seen["before"] = request.user
        assert isinstance(seen["before"], LazyObject)
        seen["first"] = request.user.pk  # the first read
        seen["after"] = request.user
        return _ok(request)

    request = _run(view, user)
    assert seen["first"] == user.pk
    assert type(seen["after"]) is User and seen["after"] == user
    assert type(request.user) is User
    # The lazy object taken before the first read is the same user.
    assert seen["before"]._wrapped is seen["after"]
    assert seen["before"].is_authenticated


def test_an_anonymous_request_s_user_stays_anonymous():
    def view(request):
        assert request.user.is_authenticated is False
        return _ok(request)

    request = _run(view)
    assert type(request.user) is AnonymousUser


def test_a_request_that_never_reads_its_user_reads_no_session():
    user = _citizen()
    key = _session_key(user)
    request = RequestFactory().get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = key
    with CaptureQueriesContext(connection) as queries:
        SessionMiddleware(AuthenticationMiddleware(_ok))(request)
    assert queries.captured_queries == []
    assert isinstance(request.__dict__["user"], LazyObject)


def test_request_auser_stays_django_s():
    seen = {}

    def view(request):
        seen["auser"] = request.auser
        seen["request"] = request
        return _ok(request)

    _run(view, _citizen())
    assert seen["auser"].func is auth_middleware.auser
    assert seen["auser"].args == (seen["request"],)


def test_login_inside_a_view_is_the_request_s_user_even_read_through_the_lazy_object():
    kari, ola = _citizen("kari"), _citizen("ola")
    seen = {}

    def view(request):
        lazy = request.user  # kept unread, as a context processor would
        login(request, ola, backend=BACKEND)
        seen["user"] = request.user
        seen["lazy"] = lazy.pk  # read only now: the session is ola's
        seen["after"] = request.user
        return _ok(request)

    _run(view, kari)
    assert seen["user"] is seen["after"]  # login()'s user stays on the request
    assert seen["after"] == ola
    assert seen["lazy"] == ola.pk


def test_logout_inside_a_view_after_the_user_was_read():
    user = _citizen()
    seen = {}

    def view(request):
        assert request.user.is_authenticated
        logout(request)
        seen["user"] = request.user
        return _ok(request)

    request = _run(view, user)
    assert type(seen["user"]) is AnonymousUser
    assert request.user is seen["user"]


def test_logout_inside_a_view_before_the_user_was_read():
    user = _citizen()
    seen = {}

    def view(request):
        lazy = request.user
        logout(request)  # reads the user first (for its signal), as with Django's
        seen["user"] = request.user
        seen["lazy"] = lazy.pk
        return _ok(request)

    request = _run(view, user)
    assert type(seen["user"]) is AnonymousUser
    assert seen["lazy"] == user.pk
    assert request.user is seen["user"]  # not replaced by the lazy object's user


def test_a_changed_password_still_logs_out():
    user = _citizen()
    key = _session_key(user)
    user.set_password("a-new-password-that-changes-the-hash")
    user.save()
    request = RequestFactory().get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = key
    seen = {}

    def view(request):
        seen["authenticated"] = request.user.is_authenticated
        return _ok(request)

    SessionMiddleware(AuthenticationMiddleware(view))(request)
    assert seen["authenticated"] is False
    assert type(request.user) is AnonymousUser
    assert request.session.session_key != key  # flushed, as Django does


def test_the_test_client_s_request_user_is_the_user(client):
    user = _citizen()
    client.force_login(user, backend=BACKEND)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert type(response.wsgi_request.user) is User
    assert response.wsgi_request.user == user
