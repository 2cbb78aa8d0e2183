"""Reads compiled once per database connection, for the rows every request reads.

``Model.objects.get(…)`` builds and compiles its query each time: ~0.15–0.5 ms of CPU per
read measured here, where running the SQL takes ~0.015 ms. The session, the user behind it
and the application of a form page are read on every such request, so they are read through
``first``: the ORM compiles the query once per connection, and each read runs that SQL with
its own values and builds the instances as the ORM's ``ModelIterable`` does (``from_db``,
the columns converted, ``select_related`` and deferred fields included).

The caller gives the query (``build``) and, separately, its parameters in the order of the
compiled SQL, as the database gets them (``params``). The first read on a connection checks
the two against each other: if the ORM compiled other parameters (another Django, another
shape of query), that query is read through the ORM from then on, never with wrong values.

A compiled statement is run without the ORM's cursor either (``_fetch``): Django's checks
(health check, connection, thread, broken transaction, its error classes) and then the
driver. On PostgreSQL through one psycopg cursor kept per connection
(``iktipet.core.postgresql``: a fresh cursor and Django's wrapper around it cost ~40–70 µs
of a ~150 µs statement, measured there); on SQLite through ``sqlite3.Connection.execute``
with the SQL already in the driver's ``?`` style (Django's cursor rewrites it with a regular
expression on every statement). Statements that Django logs or wraps (``DEBUG``,
``assertNumQueries``, ``execute_wrapper``) go through Django's cursor, as every other one.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.http import Http404

M = TypeVar("M", bound=Model)
logger = logging.getLogger(__name__)


#: Runs a statement on the driver's connection: (connection, SQL in the driver's style,
#: parameters, one row?) -> a row, None, or the rows. Unbound: nothing kept in ``_compiled``
#: refers to its connection.
Run = Callable[[Any, str, Sequence[Any], bool], Any]


@dataclass(frozen=True)
class Statement:
    """The SQL as Django runs it (``sql``) and as the driver takes it (``driver_sql``), with
    the driver's runner for this kind of connection (None: Django's cursor)."""

    sql: str
    driver_sql: str
    run: Run | None


def _statement(connection: BaseDatabaseWrapper, sql: str) -> Statement:
    run = getattr(type(connection), "run_kept", None)  # iktipet.core.postgresql
    if run is not None:
        return Statement(sql, sql, run)
    if connection.vendor == "sqlite":
        # What SQLiteCursorWrapper.convert_query does on every statement (format to qmark).
        return Statement(sql, FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%"), _run_sqlite)
    return Statement(sql, sql, None)


def _run_sqlite(connection: Any, sql: str, params: Sequence[Any], one: bool) -> Any:
    cursor = connection.connection.execute(sql, params)
    try:
        return cursor.fetchone() if one else cursor.fetchall()
    finally:
        cursor.close()  # a statement left stepping would hold its read snapshot


def _fetch(
    connection: BaseDatabaseWrapper, statement: Statement, params: Sequence[Any], one: bool
) -> Any:
    """The first row (``one``) or every row of the statement, run as Django's cursor runs
    it: the same checks before, the same error classes after."""
    if statement.run is None or connection.queries_logged or connection.execute_wrappers:
        with connection.cursor() as cursor:
            cursor.execute(statement.sql, params)
            return cursor.fetchone() if one else cursor.fetchall()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        return statement.run(connection, statement.driver_sql, params, one)


def prepare(connection: BaseDatabaseWrapper, sql: str) -> Statement:
    """``sql`` written as Django writes it (``%s`` parameters) made ready for ``fetch`` on
    ``connection``: for SQL that is no queryset's (Min side's probe, a row of ``EXISTS``).
    Keep it per connection, as ``_compiled`` keeps the compiled queries."""
    return _statement(connection, sql)


def fetch(
    connection: BaseDatabaseWrapper, statement: Statement, params: Sequence[Any], one: bool
) -> Any:
    """The first row (``one``) or every row of a ``prepare``d statement, run as ``_fetch``
    runs a compiled query's."""
    return _fetch(connection, statement, params, one)


@dataclass(frozen=True)
class Compiled:
    statement: Statement
    converters: dict[int, tuple[list[Any], Any]]  # column: (converters, expression)
    start: int  # the model's own columns: row[start:end]
    end: int
    names: list[str]
    populators: list[Any]  # select_related instances, as ModelIterable fills them
    annotations: dict[str, int]  # annotate(): attribute name, column

    def first(
        self, model: type[M], connection: BaseDatabaseWrapper, params: Sequence[Any]
    ) -> M | None:
        row = _fetch(connection, self.statement, params, True)
        return None if row is None else self.instance(model, connection, row)

    def every(
        self, model: type[M], connection: BaseDatabaseWrapper, params: Sequence[Any]
    ) -> list[M]:
        found = _fetch(connection, self.statement, params, False)
        return [self.instance(model, connection, row) for row in found]

    def instance(self, model: type[M], connection: BaseDatabaseWrapper, row: Sequence[Any]) -> M:
        if self.converters:
            row = _converted(self.converters, connection, row)
        instance = model.from_db(connection.alias, self.names, row[self.start : self.end])
        for populator in self.populators:
            populator.populate(row, instance)
        for name, position in self.annotations.items():
            setattr(instance, name, row[position])
        return instance


@dataclass(frozen=True)
class CompiledValues:
    """A ``values_list()`` query: its SQL and the converters of the columns it returns."""

    statement: Statement
    converters: dict[int, tuple[list[Any], Any]]
    width: int  # the columns asked for (ordering may add columns after them)

    def rows(self, connection: BaseDatabaseWrapper, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        found = _fetch(connection, self.statement, params, False)
        if self.converters:
            found = [_converted(self.converters, connection, row) for row in found]
        return [tuple(row[: self.width]) for row in found]


def _converted(
    converters: dict[int, tuple[list[Any], Any]],
    connection: BaseDatabaseWrapper,
    row: Sequence[Any],
) -> list[Any]:
    """The row's columns converted as SQLCompiler.apply_converters does, on this connection."""
    converted = list(row)
    for position, (functions, expression) in converters.items():
        for converter in functions:
            converted[position] = converter(converted[position], expression, connection)
    return converted


#: Per connection, per key: the compiled query, or None when the ORM must read it. Nothing in
#: a value refers to its connection, so a connection that goes is forgotten.
_compiled: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[Any, Any]] = (
    weakref.WeakKeyDictionary()
)


def _compile(
    connection: BaseDatabaseWrapper, queryset: QuerySet[Any], params: list[Any]
) -> Compiled | None:
    compiler = queryset.query.get_compiler(connection=connection)
    sql, example = compiler.as_sql()
    if list(example) != params:
        logger.warning("not compiled once (parameters %r, expected %r): %s", example, params, sql)
        return None
    klass_info = compiler.klass_info
    assert klass_info is not None
    fields = klass_info["select_fields"]
    start, end = fields[0], fields[-1] + 1
    return Compiled(
        statement=_statement(connection, sql),
        converters=compiler.get_converters([column[0] for column in compiler.select]),
        start=start,
        end=end,
        names=[column[0].target.attname for column in compiler.select[start:end]],
        populators=get_related_populators(klass_info, compiler.select, connection.alias),
        annotations=dict(compiler.annotation_col_map or {}),
    )


def _compile_values(
    connection: BaseDatabaseWrapper, queryset: QuerySet[Any], params: list[Any]
) -> CompiledValues | None:
    compiler = queryset.query.get_compiler(connection=connection)
    sql, example = compiler.as_sql()
    # Django 5.2 selects a values_list()'s columns in the order it names them, annotations
    # among them (Query.selected): the row as read is the ORM's tuple. Before, annotations
    # came after the fields and the ORM reordered each row: such a query, and one with
    # extra() columns, is left to the ORM.
    query = queryset.query
    named = getattr(query, "selected", None) is not None
    plain = (
        not query.extra_select
        and bool(query.values_select or query.annotation_select)
        and (named or not query.annotation_select)
    )
    if list(example) != params or not plain:
        logger.warning("not compiled once (parameters %r, expected %r): %s", example, params, sql)
        return None
    width = compiler.col_count
    return CompiledValues(
        statement=_statement(connection, sql),
        converters=compiler.get_converters([column[0] for column in compiler.select[:width]]),
        width=width,
    )


def _lookup(
    model: type[Model],
    key: Any,
    build: Callable[[str], QuerySet[Any]],
    params: Callable[[BaseDatabaseWrapper], list[Any]],
    compile_: Callable[[BaseDatabaseWrapper, QuerySet[Any], list[Any]], Any],
) -> tuple[BaseDatabaseWrapper, str, list[Any], Any]:
    """This request's connection, its alias, the parameters, and the query compiled for
    ``key`` on that connection (None: the ORM reads it)."""
    using = router.db_for_read(model)
    connection = connections[using]
    values = params(connection)
    per_connection = _compiled.setdefault(connection, {})
    if key not in per_connection:
        per_connection[key] = compile_(connection, build(using), values)
    return connection, using, values, per_connection[key]


def first(
    model: type[M],
    key: Any,
    build: Callable[[str], QuerySet[M]],
    params: Callable[[BaseDatabaseWrapper], list[Any]],
) -> M | None:
    """The first row of ``build(using)`` (one row: a primary key or a unique key), read
    with SQL compiled on this connection the first time ``key`` is asked for."""
    connection, using, values, query = _lookup(model, key, build, params, _compile)
    if query is None:
        return next(iter(build(using)), None)
    return query.first(model, connection, values)


def first_or_404(
    model: type[M],
    key: Any,
    build: Callable[[str], QuerySet[M]],
    params: Callable[[BaseDatabaseWrapper], list[Any]],
) -> M:
    """``first``, for a view's object: no row (none there, or none this user may reach, as
    ``build`` filters) is a 404."""
    found = first(model, key, build, params)
    if found is None:
        raise Http404
    return found


def every(
    model: type[M],
    key: Any,
    build: Callable[[str], QuerySet[M]],
    params: Callable[[BaseDatabaseWrapper], list[Any]],
) -> list[M]:
    """Every row of ``build(using)``, as ``list(build(using))`` gives them, with the SQL
    compiled on this connection the first time ``key`` is asked for. Every call with one
    ``key`` must build the same shape of query (filters, joins, ordering, slice): only the
    parameters may differ, and ``params`` gives them in the SQL's order."""
    connection, using, values, query = _lookup(model, key, build, params, _compile)
    if query is None:
        return list(build(using))
    return query.every(model, connection, values)


def values(
    model: type[Model],
    key: Any,
    build: Callable[[str], QuerySet[Any]],
    params: Callable[[BaseDatabaseWrapper], list[Any]],
) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list()`` query (``build(using)``) as tuples, with the SQL
    compiled on this connection the first time ``key`` is asked for."""
    connection, using, found, query = _lookup(model, key, build, params, _compile_values)
    if query is None:
        return [tuple(row) for row in build(using)]
    return query.rows(connection, found)


def by_pk(model: type[M], pk: Any) -> M | None:
    """The row whose primary key is ``pk`` (converted as the ORM would), or None."""
    field = model._meta.pk
    assert field is not None
    try:
        value = field.to_python(pk)
    except ValidationError:
        return None
    if value is None:
        return None
    return first(
        model,
        (model, "pk"),
        lambda using: model._default_manager.using(using).filter(pk=value).order_by(),
        lambda connection: [field.get_db_prep_value(value, connection)],
    )
