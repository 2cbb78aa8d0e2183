"""Lists and value rows read with SQL compiled once: the same rows as the ORM's."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Count, F
from django.db.transaction import TransactionManagementError
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from iktipet.accounts.models import StaffRole, User
from iktipet.core import rows
from iktipet.core.models import Agency, Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles():
    municipality = Municipality.objects.create(kommunenummer="0301", name="Oslo")
    agency = Agency.objects.create(
        municipality=municipality, slug="bym", name_nb="Bymiljøetaten", name_en="Urban Env."
    )
    anne = User.objects.create(username="anne", kind=User.Kind.STAFF)
    bo = User.objects.create(username="bo", kind=User.Kind.STAFF)
    for user, role in ((anne, "case_worker"), (anne, "manager"), (bo, "case_worker")):
        StaffRole.objects.create(user=user, agency=agency, role=role)
    return agency, anne, bo


def _roles_of(user: User) -> list[StaffRole]:
    return rows.every(
        StaffRole,
        "test: roles of a user",
        lambda using: (
            StaffRole.objects.using(using)
            .filter(user_id=user.pk)
            .select_related("agency")
            .order_by("role")
        ),
        lambda connection: [user.pk],
    )


def test_every_row_is_the_orm_s_row_with_its_related_row(roles):
    _, anne, bo = roles
    found = _roles_of(anne)
    expected = list(StaffRole.objects.filter(user=anne).select_related("agency").order_by("role"))
    assert found == expected
    assert [role.role for role in found] == ["case_worker", "manager"]
    assert found[0].agency.name_nb == "Bymiljøetaten"  # filled by select_related, no query
    assert found[0]._state.adding is False
    # The same compiled query with another user's values
    assert [role.user_id for role in _roles_of(bo)] == [bo.pk]
    assert rows._compiled[connections["default"]]["test: roles of a user"] is not None
    nobody = User(pk=anne.pk + 100)
    assert _roles_of(nobody) == []


def test_values_are_the_orm_s_tuples_converted(roles):
    _, anne, _ = roles

    def read(user_id: int) -> list[tuple]:
        return rows.values(
            StaffRole,
            "test: values",
            lambda using: (
                StaffRole.objects.using(using)
                .filter(user_id=user_id)
                .order_by("-role")
                .values_list("role", "agency__slug", "user__date_joined")
            ),
            lambda connection: [user_id],
        )

    expected = list(
        StaffRole.objects.filter(user=anne)
        .order_by("-role")
        .values_list("role", "agency__slug", "user__date_joined")
    )
    assert read(anne.pk) == expected
    assert read(anne.pk)[0][2].tzinfo is not None  # converted as the ORM converts it
    assert rows._compiled[connections["default"]]["test: values"] is not None


@pytest.mark.parametrize(
    "names",
    [("n", "username"), ("username", "n"), ("username", "n", "pk"), ("pk", "username", "n")],
)
def test_a_values_query_with_annotations_is_the_orm_s_tuples_in_its_order(roles, names):
    """values_list() gives an annotation where it is named, and so does the compiled read
    (the SQL selects it there); each tuple is the ORM's, its count converted."""
    _, anne, bo = roles

    def build(user_id: int, using: str = "default") -> Any:
        return (
            User.objects.using(using)
            .filter(pk__gte=user_id)
            .annotate(n=Count("staff_roles"))
            .order_by("username")
            .values_list(*names)
        )

    def read(user_id: int) -> list[tuple]:
        return rows.values(
            User,
            ("test: annotated", names),
            lambda using: build(user_id, using),
            lambda c: [user_id],
        )

    assert read(anne.pk) == list(build(anne.pk)) != []
    assert read(bo.pk) == list(build(bo.pk))
    assert dict(zip(names, read(anne.pk)[0], strict=True))["n"] == 2
    assert rows._compiled[connections["default"]][("test: annotated", names)] is not None


@pytest.mark.rows_fallback
def test_parameters_that_do_not_match_are_never_used(roles, caplog):
    _, anne, bo = roles
    found = rows.every(
        StaffRole,
        "test: wrong parameters",
        lambda using: StaffRole.objects.using(using).filter(user_id=anne.pk).order_by("role"),
        lambda connection: [bo.pk],  # not what the ORM compiled
    )
    assert [role.user_id for role in found] == [anne.pk, anne.pk]
    assert rows._compiled[connections["default"]]["test: wrong parameters"] is None
    assert "not compiled once" in caplog.text


def test_an_annotation_is_set_on_the_instance_as_the_orm_sets_it(roles):
    _, anne, bo = roles

    def read(user_id: int) -> User | None:
        return rows.first(
            User,
            "test: annotated instance",
            lambda using: (
                User.objects.using(using)
                .filter(pk=user_id)
                .annotate(roles_held=Count("staff_roles"))
                .order_by()
            ),
            lambda connection: [user_id],
        )

    assert read(anne.pk).roles_held == 2
    assert read(bo.pk).roles_held == 1
    assert rows._compiled[connections["default"]]["test: annotated instance"] is not None


def test_first_or_404_is_the_row_or_a_404():
    anne = User.objects.create(username="anne", kind=User.Kind.STAFF)

    def user_named(name: str) -> User:
        return rows.first_or_404(
            User,
            "test: a user by name",
            lambda using: User.objects.using(using).filter(username=name).order_by(),
            lambda connection: [name],
        )

    assert user_named("anne") == anne
    with pytest.raises(Http404):
        user_named("nobody")


def _username_of(user_id: int) -> list[tuple]:
    """A compiled read whose SQL holds a literal ``%`` (LIKE '%%' || …) beside a parameter."""
    return rows.values(
        User,
        "test: literal percent",
        lambda using: (
            User.objects.using(using)
            .filter(pk=user_id, username__contains=F("first_name"))
            .values_list("username")
        ),
        lambda connection: [user_id],
    )


def test_a_compiled_read_runs_without_djangos_cursor_and_as_the_orm_reads(roles):
    _, anne, _ = roles
    anne.first_name = "nn"
    anne.save()
    expected = list(StaffRole.objects.filter(user=anne).order_by("role"))
    with mock.patch.object(type(connections["default"]), "cursor", side_effect=AssertionError):
        assert rows.by_pk(User, anne.pk) == anne
        assert _roles_of(anne) == expected
        assert _username_of(anne.pk) == [("anne",)]
    with mock.patch.object(type(connections["default"]), "cursor", side_effect=AssertionError):
        assert rows.by_pk(User, anne.pk + 100) is None
    assert _username_of(anne.pk + 100) == []


def test_a_compiled_read_is_counted_and_logged_as_every_statement(roles):
    _, anne, _ = roles
    rows.by_pk(User, anne.pk)
    with CaptureQueriesContext(connection) as captured:
        assert rows.by_pk(User, anne.pk) == anne
        assert [role.role for role in _roles_of(anne)] == ["case_worker", "manager"]
    assert len(captured) == 2
    assert str(anne.pk) in captured[0]["sql"]

    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        assert rows.by_pk(User, anne.pk) == anne
    assert len(seen) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failed_statement_raises_djangos_error_and_the_transaction_goes_on():
    anne = User.objects.create(username="anne", kind=User.Kind.STAFF)
    broken = rows._statement(connection, "SELECT nothing FROM no_such_table WHERE 1 = %s")
    with pytest.raises(DatabaseError) as failed:
        rows._fetch(connection, broken, [1], one=False)
    assert type(failed.value).__module__ == "django.db.utils"  # Django's class, as the ORM's
    with transaction.atomic():
        with pytest.raises(DatabaseError), transaction.atomic():
            rows._fetch(connection, broken, [1], one=True)
        assert rows.by_pk(User, anne.pk) == anne  # rolled back to the savepoint
    with transaction.atomic():
        transaction.set_rollback(True)
        with pytest.raises(TransactionManagementError):
            rows.by_pk(User, anne.pk)
    assert rows.by_pk(User, anne.pk) == anne


@pytest.mark.django_db(transaction=True)
def test_a_compiled_read_sees_its_own_transaction_and_its_rollback():
    with transaction.atomic():
        bo = User.objects.create(username="bo", kind=User.Kind.STAFF)
        assert rows.by_pk(User, bo.pk) == bo
        transaction.set_rollback(True)
    assert rows.by_pk(User, bo.pk) is None
