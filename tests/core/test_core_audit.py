"""The audit log: one function writes it, nothing updates or deletes it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models.deletion import ProtectedError

from iktipet.core.audit import record
from iktipet.core.context import reset_request_id, set_request_id
from iktipet.core.models import AuditEvent, Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return get_user_model().objects.create_user(username="saksbehandler1")


@pytest.fixture
def oslo():
    return Municipality.objects.create(name="Oslo kommune", kommunenummer="0301")


def test_record_writes_actor_action_target_and_details(user, oslo):
    event = record(user, "municipality.viewed", oslo, {"reason": "test"})
    event.refresh_from_db()
    assert event.actor == user
    assert event.actor_label
    assert event.action == "municipality.viewed"
    assert event.target_type == "core.municipality"
    assert event.target_id == str(oslo.pk)
    assert event.details == {"reason": "test"}
    assert event.at is not None


def test_record_accepts_a_type_and_id_pair_and_anonymous_actors():
    event = record(AnonymousUser(), "login.failed", ("accounts.user", 42))
    assert event.actor is None
    assert event.actor_label == "anonymous"
    assert (event.target_type, event.target_id) == ("accounts.user", "42")
    assert record(None, "system.started").target_type == ""


def test_record_carries_the_current_request_id():
    token = set_request_id("req-0123456789")
    try:
        event = record(None, "something.happened")
    finally:
        reset_request_id(token)
    assert event.request_id == "req-0123456789"


def test_saving_an_existing_event_again_is_refused():
    event = record(None, "first.version")
    event.action = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "first.version"


def test_deleting_an_event_is_refused():
    event = record(None, "kept")
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_and_delete_are_refused():
    record(None, "one")
    record(None, "two")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(action="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(action="one").delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update_or_create(action="one", defaults={"action": "changed"})
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == ["one", "two"]


def test_deleting_a_user_with_audit_history_is_refused(user):
    record(user, "case.read", ("cases.case", 1))
    with pytest.raises(ProtectedError):
        user.delete()


def test_append_writes_the_row_record_writes_with_one_plain_insert(user, oslo):
    """The hot reads' audit row: the same columns, one INSERT without RETURNING (on SQLite
    that would keep the write lock until the row is fetched)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from iktipet.core.audit import append

    columns = ("actor_id", "actor_label", "action", "target_type", "target_id", "details")
    token = set_request_id("req-append")
    try:
        recorded = record(user, "municipality.viewed", oslo, {"reason": "test", "n": 1})
        for _ in range(2):  # the second time with the SQL compiled on this connection
            with CaptureQueriesContext(connection) as captured:
                append(user, "municipality.viewed", oslo, {"reason": "test", "n": 1})
            [insert] = [query["sql"] for query in captured.captured_queries]
            assert insert.startswith("INSERT INTO") and "RETURNING" not in insert.upper()
        append(AnonymousUser(), "login.failed", ("accounts.user", 42))
    finally:
        reset_request_id(token)
    first, second, third = AuditEvent.objects.order_by("id")[1:]
    for appended in (first, second):
        assert [getattr(appended, c) for c in columns] == [getattr(recorded, c) for c in columns]
        assert appended.request_id == "req-append"
        assert appended.at >= recorded.at
    assert (third.actor_id, third.actor_label, third.target_id) == (None, "anonymous", "42")
