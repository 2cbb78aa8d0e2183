"""A session's rewrite commits without waiting for PostgreSQL's log flush; nothing else does."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from iktipet.core.sessions.cached_db import SessionStore as CachedStore
from iktipet.core.sessions.db import SessionStore

QUICK = "SET LOCAL synchronous_commit TO OFF"


def _statements(action) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        action()
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("store_class", [SessionStore, CachedStore])
def test_a_rewrite_is_a_quick_commit_on_postgresql_and_stays_stored(store_class):
    store = store_class()
    store["who"] = "kari"
    created = _statements(store.save)  # a new session (a login) keeps the durable commit
    assert QUICK not in created

    store["last_seen"] = 1.5
    rewritten = _statements(store.save)
    expected = connection.vendor == "postgresql"
    assert (QUICK in rewritten) is expected
    if expected:
        # Set for that transaction only: the connection's next transaction waits for the disk.
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
    assert store_class(store.session_key).load() == {"who": "kari", "last_seen": 1.5}


@pytest.mark.django_db(transaction=True)
def test_a_save_inside_another_transaction_leaves_it_alone():
    store = SessionStore()
    store["who"] = "kari"
    store.save()
    store["who"] = "ola"
    with transaction.atomic():
        inside = _statements(store.save)
    assert QUICK not in inside
    assert SessionStore(store.session_key).load() == {"who": "ola"}
