"""iktipet.core.postgresql: Django's PostgreSQL backend with timestamps read in C, a health
check without a round trip and a cursor kept per connection for core.rows' reads; a
terminated backend still costs no failed request."""

from __future__ import annotations

import datetime
import io
import sys
import threading
import zoneinfo
from collections.abc import Iterator
from unittest import mock

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, close_old_connections, connection, connections, transaction
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper
from django.db.backends.postgresql.psycopg_any import register_tzloader

from iktipet.accounts.models import User
from iktipet.core import rows

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL backend only"
)

VALUES = """SELECT v FROM (VALUES
    ('2026-12-07 14:13:55.123456+00'::timestamptz),
    ('2026-06-30 23:59:59.999999+02'),
    ('1900-01-01 00:00:00-05:30'),
    ('0001-01-01 00:00:00+00'),
    ('9999-12-31 23:59:59.999999+00'),
    (NULL)
) AS t(v)"""


def _get(path: str) -> str:
    """One request as `iktipet serve` makes it: Django's signals close or check the
    connection before it and after it (the test client skips that)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    status: list[str] = []
    response = WSGIHandler()(environ, lambda code, headers: status.append(code))
    b"".join(response)
    response.close()
    return status[0]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _terminate(pid: int) -> None:
    """From another connection, as a restart of PostgreSQL or an administrator ends it; waits
    (up to 10 s) until the backend has ended, so its goodbye is on our socket: without the
    wait, a loaded machine let the next statement race the termination (a fresh-clone CI)."""
    params = connection.get_connection_params()
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        ended = other.execute("SELECT pg_terminate_backend(%s, 10000)", [pid]).fetchone()
    assert ended == (True,)


@pytest.fixture(autouse=True)
def _no_dead_connection_left() -> Iterator[None]:
    """A test here that fails between ending its backend and reconnecting must not leave the
    dead connection to the database flush and to the next tests of this worker (in a CI run
    one such failure made 60 later tests fail on "the connection is closed")."""
    yield
    for alias in connections:
        wrapper = connections[alias]
        if wrapper.connection is not None and wrapper.connection.closed:
            wrapper.close()


@pytest.mark.django_db(transaction=True)
def test_a_terminated_connection_costs_no_failed_request():
    assert _get("/tjenester/") == "200 OK"
    before = _backend_pid()
    _terminate(before)

    assert _get("/tjenester/") == "200 OK"
    assert _get("/tjenester/") == "200 OK"
    assert _backend_pid() != before


@pytest.mark.django_db(transaction=True)
def test_a_terminated_connection_fails_a_query_that_skips_the_check():
    """What the check guards against: without it, the request's first query fails."""
    _terminate(_backend_pid())
    connection.health_check_done = True
    with pytest.raises(Exception) as failed, connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert "terminat" in str(failed.value) or "closed" in str(failed.value)
    connection.close()


@pytest.mark.django_db(transaction=True)
def test_an_idle_healthy_connection_is_usable_without_a_statement():
    _backend_pid()
    with mock.patch.object(DjangoWrapper, "is_usable", side_effect=AssertionError):
        assert connection.is_usable()


@pytest.mark.django_db(transaction=True)
def test_a_connection_inside_a_transaction_is_checked_with_a_statement():
    with transaction.atomic():
        _backend_pid()
        with mock.patch.object(DjangoWrapper, "is_usable", return_value=True) as django_check:
            assert connection.is_usable()
        assert django_check.called


def _djangos(sql: str) -> list[tuple]:
    """The rows as Django's own loader gives them (its Python timestamptz loader)."""
    with connection.cursor() as cursor:
        register_tzloader(datetime.UTC, cursor.cursor)
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.mark.django_db
def test_timestamps_are_read_in_c_and_equal_djangos():
    loader = connection.connection.adapters.get_loader(1184, psycopg.pq.Format.TEXT)
    assert loader.__module__.startswith("psycopg")  # psycopg's own (C) loader, not Django's

    with connection.cursor() as cursor:
        cursor.execute(VALUES)
        ours = cursor.fetchall()
    assert ours == _djangos(VALUES)
    assert ours[0][0] == datetime.datetime(2026, 12, 7, 14, 13, 55, 123456, tzinfo=datetime.UTC)
    assert all(row[0].tzinfo is datetime.UTC for row in ours if row[0] is not None)


@pytest.mark.django_db(transaction=True)
def test_a_named_cursor_reads_timestamps_as_the_others():
    with transaction.atomic():
        cursor = connection.chunked_cursor()
        cursor.execute(VALUES)
        named = cursor.fetchall()
        cursor.close()
    assert named == _djangos(VALUES)


def _user() -> User:
    return User.objects.create(username="anne", kind=User.Kind.STAFF)


@pytest.mark.django_db(transaction=True)
def test_compiled_reads_share_one_cursor_per_connection_and_hold_no_result():
    anne = _user()
    wrapper = connections["default"]
    assert rows.by_pk(User, anne.pk) == anne
    kept = wrapper._kept
    assert kept is not None and kept.connection is wrapper.connection
    assert rows.by_pk(User, anne.pk) == anne
    assert rows.by_pk(User, anne.pk + 1) is None
    assert wrapper._kept is kept
    assert kept.pgresult is None and kept._tx.pgresult is None  # released after each read

    first_connection = wrapper.connection
    wrapper.close()
    assert wrapper._kept is None
    assert rows.by_pk(User, anne.pk) == anne  # a new connection, a new cursor
    assert wrapper._kept is not kept and wrapper._kept.connection is not first_connection


@pytest.mark.django_db(transaction=True)
def test_another_thread_reads_through_a_cursor_of_its_own():
    anne = _user()
    assert rows.by_pk(User, anne.pk) == anne
    ours = connections["default"]._kept
    theirs: list[object] = []

    def other() -> None:
        try:
            assert rows.by_pk(User, anne.pk) == anne
            theirs.append(connections["default"]._kept)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert theirs and theirs[0] is not ours and theirs[0].connection is not ours.connection
    assert connections["default"]._kept is ours


@pytest.mark.django_db(transaction=True)
def test_a_compiled_read_after_a_terminated_connection_costs_no_failed_request():
    anne = _user()
    assert rows.by_pk(User, anne.pk) == anne
    before = _backend_pid()
    _terminate(before)

    close_old_connections()  # what every request starts with
    assert rows.by_pk(User, anne.pk) == anne  # the health check found it gone: reconnected
    assert _backend_pid() != before


@pytest.mark.django_db(transaction=True)
def test_a_compiled_read_on_a_lost_connection_fails_as_djangos_and_the_next_request_works():
    anne = _user()
    assert rows.by_pk(User, anne.pk) == anne
    _terminate(_backend_pid())
    connection.health_check_done = True
    with pytest.raises(OperationalError):  # Django's class, as the ORM raises it
        rows.by_pk(User, anne.pk)
    assert connection.errors_occurred
    close_old_connections()
    assert rows.by_pk(User, anne.pk) == anne


@pytest.mark.django_db(transaction=True)
def test_a_connection_time_zone_other_than_utc_reads_as_djangos():
    anne = _user()
    oslo = zoneinfo.ZoneInfo("Europe/Oslo")
    connections["default"].__dict__["timezone"] = oslo  # as a DATABASES TIME_ZONE gives it
    try:
        expected = User.objects.get(pk=anne.pk).date_joined
        found = rows.by_pk(User, anne.pk)
        assert found.date_joined == expected and found.date_joined.tzinfo == expected.tzinfo
        assert expected.tzinfo == oslo
    finally:
        del connections["default"].__dict__["timezone"]
    assert rows.by_pk(User, anne.pk).date_joined.tzinfo is datetime.UTC


@pytest.mark.django_db(transaction=True)
def test_a_psycopg_without_the_release_methods_reads_through_a_cursor_per_statement():
    """psycopg is not pinned: without its private ``_reset`` the reads still work, on a
    cursor of their own that is closed after each statement, and none is kept."""
    from iktipet.core.postgresql import base as backend

    anne = _user()
    wrapper = connections["default"]
    wrapper.close()
    made: list[psycopg.Cursor] = []
    create = wrapper.create_cursor

    def counting(*args: object) -> psycopg.Cursor:
        made.append(create(*args))
        return made[-1]

    with (
        mock.patch.object(backend, "_RELEASABLE", False),
        mock.patch.object(wrapper, "create_cursor", counting),
    ):
        assert rows.by_pk(User, anne.pk) == anne
        assert rows.by_pk(User, anne.pk + 1) is None
    assert wrapper._kept is None
    assert len(made) == 2 and all(cursor.closed for cursor in made)
