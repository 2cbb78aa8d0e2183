"""Sessions and users read with SQL compiled once: the same rows as the ORM's ``get``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from iktipet.accounts.models import Session, User
from iktipet.core import rows
from iktipet.core.sessions import read_session
from iktipet.core.sessions.cached_db import SessionStore as CachedStore
from iktipet.core.sessions.db import SessionStore

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("store_class", [SessionStore, CachedStore])
def test_a_session_reads_back_what_was_stored(store_class):
    store = store_class()
    store["who"] = "kari"
    store.save()
    again = store_class(store.session_key)
    assert again.load() == {"who": "kari"}
    row = read_session(Session, store.session_key)
    assert row == Session.objects.get(session_key=store.session_key)
    assert row is not None and row.expire_date == Session.objects.get(pk=row.pk).expire_date


def test_an_expired_or_unknown_session_is_empty():
    store = SessionStore()
    store["who"] = "kari"
    store.save()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key is made on the next save, as Django does
    assert read_session(Session, "no-such-session-key-xxxxxxxxxxxxx") is None


def test_a_user_by_primary_key_is_the_orm_s_user():
    user = User.objects.create(username="kari", first_name="Kari", kind=User.Kind.CITIZEN)
    found = rows.by_pk(User, str(user.pk))  # as the session holds it
    assert found is not None
    expected = User.objects.get(pk=user.pk)
    fields = [field.attname for field in User._meta.concrete_fields]
    assert [getattr(found, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert found._state.adding is False and found._state.db == "default"
    assert rows.by_pk(User, user.pk + 1000) is None
    assert rows.by_pk(User, "not a number") is None
    assert rows.by_pk(User, None) is None


def test_a_logged_in_client_is_the_user(client):
    user = User.objects.create(username="ola", kind=User.Kind.CITIZEN)
    client.force_login(user, backend="iktipet.accounts.backends.OidcBackend")
    response = client.get("/")
    assert response.wsgi_request.user == user
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/").wsgi_request.user.is_authenticated is False


@pytest.mark.rows_fallback
def test_the_reads_are_compiled_and_a_query_that_does_not_match_is_read_by_the_orm(caplog):
    from django.db import connections

    connection = connections["default"]

    user = User.objects.create(username="per", kind=User.Kind.CITIZEN)
    assert rows.by_pk(User, user.pk) == user
    assert rows._compiled[connection][(User, "pk")] is not None  # compiled, not the ORM
    # Parameters that are not what the ORM compiled: never run with them, read by the ORM.
    found = rows.first(
        User,
        "a key of this test",
        lambda using: User.objects.using(using).filter(pk=user.pk),
        lambda connection: ["not the primary key"],
    )
    assert found == user
    assert rows._compiled[connection]["a key of this test"] is None
    assert "not compiled once" in caplog.text


@pytest.mark.parametrize("store_class", [SessionStore, CachedStore])
def test_a_session_row_carries_the_user_of_its_data_and_is_read_with_it(store_class):
    user = User.objects.create(username="kari", kind=User.Kind.CITIZEN)
    store = store_class()
    store[SESSION_KEY] = str(user.pk)
    store.save()
    row = Session.objects.get(pk=store.session_key)
    assert row.user_id == user.pk
    found = read_session(Session, store.session_key)
    assert found is not None and found.user == user
    fields = [field.attname for field in User._meta.concrete_fields]
    expected = User.objects.get(pk=user.pk)
    assert [getattr(found.user, n) for n in fields] == [getattr(expected, n) for n in fields]
    again = SessionStore(store.session_key)
    again.load()
    assert again.joined_user == user
    # Logged out (no SESSION_KEY) or garbage in it: no user in the column.
    for value in (None, "not a number"):
        store.clear() if value is None else store.update({SESSION_KEY: value})
        store.save()
        assert Session.objects.get(pk=store.session_key).user_id is None
        empty = read_session(Session, store.session_key)
        assert empty is not None and empty.user is None


def test_a_session_of_a_deleted_user_is_read_without_one():
    user = User.objects.create(username="ola", kind=User.Kind.CITIZEN)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store.save()
    User.objects.filter(pk=user.pk).delete()
    found = read_session(Session, store.session_key)
    assert found is not None and found.user_id == user.pk and found.user is None


def test_the_store_s_model_follows_the_setting(settings):
    from django.contrib.sessions.models import Session as DjangosSession

    assert SessionStore.get_model_class() is Session
    settings.SESSION_MODEL = "sessions.Session"
    assert SessionStore.get_model_class() is DjangosSession
    assert SessionStore().model is DjangosSession
