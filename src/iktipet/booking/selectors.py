"""Reads of the booking app: the slots of a resource with what is left of them, and the
reservations a person or a staff member may see (anyone else gets 404)."""

from __future__ import annotations

import functools
import json
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connections, router
from django.db.models import Field, Model, QuerySet
from django.http import Http404
from django.utils.translation import get_language

from iktipet.accounts.roles import AGENCY_ROLES, OPERATOR, has_role
from iktipet.booking import clock, timetable
from iktipet.booking.models import Closure, OpeningRule, RentalRequest, Reservation, Resource, Slot
from iktipet.core import rows
from iktipet.core.ids import uuid_or_404

if TYPE_CHECKING:
    from iktipet.accounts.types import User, Viewer


@dataclass(frozen=True)
class Availability:
    slot: timetable.SlotTime
    free: int
    bookable: bool  # False for a slot in the past or under the minimum notice

    @property
    def full(self) -> bool:
        return self.free <= 0


@dataclass(frozen=True)
class DayView:
    date: date
    slots: tuple[Availability, ...]
    closed_reason: str

    @property
    def has_free(self) -> bool:
        return any(item.bookable and not item.full for item in self.slots)


def resources_open_for_booking() -> QuerySet[Resource]:
    return Resource.objects.select_related("agency").filter(rules__isnull=False).distinct()


# The picker's reads (the resource, its rules, closures and counters) run on every picker
# page and every hold: each is compiled once per connection (core.rows), ~0.2-0.4 ms less
# CPU per query. The parameters are given in the SQL's order, as the database gets them.


def resource_by_slug(slug: str) -> Resource:
    return rows.first_or_404(
        Resource,
        "booking.resource_by_slug",
        # The slug is unique: the row, whatever the order.
        lambda using: (
            Resource.objects.using(using).select_related("agency").filter(slug=slug).order_by()
        ),
        lambda connection: [slug],
    )


class PickerResource(NamedTuple):
    """A resource as the picker's page shows and pages it (``resource_for_picker``): the
    columns it reads, as plain values, not a ``Resource`` with its agency (two model
    instances of ~30 fields and the JSON of who rents for free, built on every visit)."""

    pk: int
    slug: str
    name_nb: str
    name_en: str
    location: str
    capacity: int
    slot_minutes: int
    buffer_minutes: int
    horizon_days: int
    min_notice_minutes: int
    price_rule: str
    price_ore: int
    needs_approval: bool
    cancel_deadline_hours: int
    closed_on_sundays: bool
    closed_on_holidays: bool
    topics: Any

    @property
    def name(self) -> str:  # as Resource.name
        return self.name_en if (get_language() or "nb").startswith("en") else self.name_nb


_PICKER_COLUMNS = ("id", *PickerResource._fields[1:])

#: What the picker's week is made of: a resource, whole or as the picker read it.
PickerSource = Resource | PickerResource


@dataclass(frozen=True)
class _PickerRead:
    statement: rows.Statement  # run with core.rows.fetch: no cursor of Django's per read
    converters: dict[int, tuple[list[Any], Any]]  # as the ORM's values_list converts
    #: The row as the driver gave it -> the resource: the same row is the same resource on
    #: every page (its topics' JSON decoded, SQLite's booleans converted once). Not personal:
    #: a resource's own settings. Bounded.
    made: dict[tuple[Any, ...], PickerResource] = field(default_factory=dict)


_picker_reads: weakref.WeakKeyDictionary[Any, _PickerRead | None] = weakref.WeakKeyDictionary()
_MAX_PICKER_RESOURCES = 256


def _picker_read(connection: Any) -> _PickerRead | None:
    """The picker's read of a resource compiled by the ORM for ``connection``, or None when
    the ORM compiles other parameters than the slug (then the ORM reads it every time)."""
    compiler = (
        Resource.objects.filter(slug="-")
        .order_by()
        .values_list(*_PICKER_COLUMNS)
        .query.get_compiler(connection=connection)
    )
    sql, params = compiler.as_sql()
    if list(params) != ["-"]:
        return None
    width = len(_PICKER_COLUMNS)
    converters = compiler.get_converters([column[0] for column in compiler.select[:width]])
    return _PickerRead(rows.prepare(connection, sql), converters)


def resource_for_picker(slug: str) -> PickerResource:
    """The resource a person picks a time of (anyone logged in may: as ``resource_by_slug``),
    for the picker's page: read with the week by ``picker_week``, alone where the database
    has no JSON functions for that; a hold reads the whole resource."""
    connection = connections[router.db_for_read(Resource)]
    if connection not in _picker_reads:
        _picker_reads[connection] = _picker_read(connection)
    read = _picker_reads[connection]
    if read is None:
        found = Resource.objects.filter(slug=slug).values_list(*_PICKER_COLUMNS).first()
        if found is None:
            raise Http404
        return PickerResource._make(found)
    row = rows.fetch(connection, read.statement, [slug], True)
    if row is None:
        raise Http404
    made = read.made.get(row)
    if made is None:
        values = list(row)
        for position, (functions, expression) in read.converters.items():
            for converter in functions:
                values[position] = converter(values[position], expression, connection)
        made = PickerResource._make(values)
        if len(read.made) >= _MAX_PICKER_RESOURCES:
            read.made.clear()
        read.made[row] = made
    return made


#: An opening rule as calendar_days reads it: weekday, opens, closes, capacity (0: the
#: resource's), valid_from, valid_until.
RuleRow = tuple[int, time, time, int | None, date | None, date | None]


def opening_rules(resource: PickerSource) -> list[RuleRow]:
    # Value rows, not instances: building a model instance per rule cost more than the read.
    return rows.values(
        OpeningRule,
        "booking.opening_rules",
        lambda using: (
            OpeningRule.objects.using(using)
            .filter(resource_id=resource.pk)
            .values_list("weekday", "opens", "closes", "capacity", "valid_from", "valid_until")
        ),
        lambda connection: [resource.pk],
    )


def closures_between(resource: PickerSource, first: date, last: date) -> dict[date, str]:
    def params(connection: Any) -> list[Any]:
        adapt = connection.ops.adapt_datefield_value
        return [adapt(first), adapt(last), resource.pk]

    found = rows.values(
        Closure,
        "booking.closures_between",
        lambda using: (
            Closure.objects.using(using)
            .filter(resource_id=resource.pk, date__range=(first, last))
            .values_list("date", "reason")
        ),
        params,
    )
    return dict(found)


def taken_between(resource: Resource, first: datetime, last: datetime) -> dict[datetime, int]:
    """How many places each slot counter starting in ``first`` .. ``last`` has taken."""

    def params(connection: Any) -> list[Any]:
        adapt = connection.ops.adapt_datetimefield_value
        return [resource.pk, adapt(first), adapt(last)]

    found = rows.values(
        Slot,
        "booking.taken_between",
        lambda using: (
            Slot.objects.using(using)
            .filter(resource_id=resource.pk, starts_at__gte=first, starts_at__lte=last)
            .values_list("starts_at", "taken")
        ),
        params,
    )
    return dict(found)


@dataclass(frozen=True)
class _WeekQuery:
    statement: rows.Statement  # run with core.rows.fetch: no cursor of Django's per read
    #: Per kind (rules, closures, counters): its columns' converters, as (column, converters,
    #: expression).
    converters: tuple[tuple[tuple[int, tuple[Any, ...], Any], ...], ...]
    #: Rows as the driver gave them -> as converted: the same text of a rule is the same
    #: rule on every page (SQLite gives times and instants as text; parsing a week's rules
    #: was ~20 µs a page). A function of the row alone; bounded.
    converted: dict[tuple[Any, ...], tuple[Any, ...]] = field(default_factory=dict)
    #: The span's parameters as this connection takes them, by its first and last day (the
    #: midnights in Oslo as instants, adapted): the same week on every page. Bounded.
    spans: dict[tuple[date, date], tuple[Any, Any, Any, Any]] = field(default_factory=dict)


#: The week's SQL per connection (its vendor's quoting, types and converters), made once.
_week_queries: weakref.WeakKeyDictionary[Any, _WeekQuery] = weakref.WeakKeyDictionary()

_WEEK_KINDS: tuple[tuple[type[Model], tuple[str, ...], str], ...] = (
    # The model, its columns, and the condition beyond its resource's on {column}.
    (OpeningRule, ("weekday", "opens", "closes", "capacity", "valid_from", "valid_until"), ""),
    (Closure, ("date", "reason"), " AND {date} BETWEEN %s AND %s"),
    (Slot, ("starts_at", "taken"), " AND {starts_at} >= %s AND {starts_at} < %s"),
)


#: The resource's row as one JSON array in the closures' text column (kind 3), so that its
#: ~17 columns do not widen every row of a busy week (each column of each row is work for
#: the driver): per vendor, the array and the JSON of its topics within it.
_RESOURCE_JSON = {
    "sqlite": ("json_array({})", "json({})"),
    "postgresql": ("json_build_array({})::text", "{}"),
}


def _week_query(connection: Any, *, by_slug: bool = False) -> _WeekQuery:
    """The rules, the closures and the counters of a span as one ``UNION ALL``: a column per
    field of each kind (NULL in the others', typed in the first branch, from which
    PostgreSQL takes every column's type), the kind first. Each kind's columns are converted
    as the ORM's own ``values_list`` of that model converts them (the converters taken from
    its compiler), so the rows are what the three reads gave. ``by_slug``: the resource
    named by its slug, and its own row too (``picker_week``)."""
    quote = connection.ops.quote_name

    def field_of(model: type[Model], name: str) -> Field[Any, Any]:
        found = model._meta.get_field(name)
        assert isinstance(found, Field)
        return found

    resources = quote(Resource._meta.db_table)
    slug_column = f"{resources}.{quote(field_of(Resource, 'slug').column)}"
    resource_id = (
        f"(SELECT {resources}.{quote(field_of(Resource, 'id').column)}"  # noqa: S608
        f" FROM {resources} WHERE {slug_column} = %s)"
        if by_slug
        else "%s"
    )

    typed = [
        f"CAST(NULL AS {field_of(model, name).cast_db_type(connection)})"
        for model, names, _where in _WEEK_KINDS
        for name in names
    ]
    branches, converters, offset = [], [], 1
    for kind, (model, names, where) in enumerate(_WEEK_KINDS):
        table = quote(model._meta.db_table)
        columns = {name: f"{table}.{quote(field_of(model, name).column)}" for name in names}
        nulls = typed if kind == 0 else ["NULL"] * len(typed)
        own = list(columns.values())
        if kind == 0 and connection.vendor == "sqlite":
            # The first branch's columns would give the driver their declared types (time,
            # date), and it would parse every row's times itself, before the rows converted
            # once (``_WeekQuery.converted``) are looked up: unary + (a no-op on any value)
            # is no column, so the driver gives the text.
            own = [f"+{column}" for column in own]
        select = [*nulls[: offset - 1], *own, *nulls[offset - 1 + len(names) :]]
        resource_column = quote(field_of(model, "resource").column)
        # The models' own table and column names, quoted; every value is a parameter.
        branches.append(
            f"SELECT {kind}, {', '.join(select)} FROM {table}"  # noqa: S608
            f" WHERE {table}.{resource_column} = {resource_id}{where.format(**columns)}"
        )
        compiler = model._default_manager.values_list(*names).query.get_compiler(
            connection=connection
        )
        compiler.setup_query()
        found = compiler.get_converters([column[0] for column in compiler.select[: len(names)]])
        converters.append(
            tuple(
                (offset + position, tuple(functions), expression)
                for position, (functions, expression) in found.items()
            )
        )
        offset += len(names)
    if by_slug:
        array, embedded = _RESOURCE_JSON[connection.vendor]
        values = ", ".join(
            (embedded if name == "topics" else "{}").format(
                f"{resources}.{quote(field_of(Resource, name).column)}"
            )
            for name in _PICKER_COLUMNS
        )
        text = 1 + _REASON_AT
        select = ["NULL"] * (text - 1) + [array.format(values)] + ["NULL"] * (offset - text - 1)
        branches.append(
            f"SELECT 3, {', '.join(select)} FROM {resources}"  # noqa: S608
            f" WHERE {slug_column} = %s"
        )
        converters.append(())
    return _WeekQuery(rows.prepare(connection, " UNION ALL ".join(branches)), tuple(converters))


_MAX_CONVERTED = 4096
_MAX_SPANS = 1024


def _converted(query: _WeekQuery, connection: Any, row: tuple[Any, ...]) -> tuple[Any, ...]:
    """``row`` converted as the ORM's ``values_list`` of its kind converts its columns."""
    values = list(row)
    for position, functions, expression in query.converters[row[0]]:
        for converter in functions:
            values[position] = converter(values[position], expression, connection)
    return tuple(values)


#: Where a closure's reason is among the columns after the kind (the resource's JSON there).
_REASON_AT = 7


def _span(query: _WeekQuery, connection: Any, first: date, last: date) -> tuple[Any, ...]:
    span = query.spans.get((first, last))
    if span is None:
        ops = connection.ops
        start = timetable.local_instant(first, time(0))
        end = timetable.local_instant(last + timedelta(days=1), time(0))
        span = (
            ops.adapt_datefield_value(first),
            ops.adapt_datefield_value(last),
            ops.adapt_datetimefield_value(start),
            ops.adapt_datetimefield_value(end),
        )
        if len(query.spans) >= _MAX_SPANS:
            query.spans.clear()
        query.spans[(first, last)] = span
    return span


Week = tuple[list[RuleRow], dict[date, str], dict[datetime, int]]


def _week(
    query: _WeekQuery, connection: Any, params: list[Any]
) -> tuple[list[RuleRow], dict[date, str], dict[datetime, int], str | None]:
    """The rules, closures and counters the statement read, and the resource's JSON (kind
    3), if it read one."""
    found = rows.fetch(connection, query.statement, params, False)
    rules: list[RuleRow] = []
    closures: dict[date, str] = {}
    taken: dict[datetime, int] = {}
    resource = None
    converted = query.converted
    for row in found:
        kind = row[0]
        if query.converters[kind]:
            done = converted.get(row)
            if done is None:
                done = _converted(query, connection, row)
                if len(converted) >= _MAX_CONVERTED:
                    converted.clear()
                converted[row] = done
            row = done
        if kind == 0:
            rules.append(tuple(row[1:7]))
        elif kind == 1:
            closures[row[7]] = row[8]
        elif kind == 2:
            taken[row[9]] = row[10]
        else:
            resource = row[1 + _REASON_AT]
    rules.sort(key=lambda rule: rule[:2])  # the model's ordering (weekday, opens), as read
    return rules, closures, taken, resource


def week_reads(resource: PickerSource, first: date, last: date) -> Week:
    """The resource's opening rules, its closures ``first`` .. ``last`` and the places taken
    of every slot counter starting on those days (in Oslo), in one statement instead of
    three: the picker reads them on every visit, and each statement is a round trip and a
    cursor (~0.3 ms each on PostgreSQL). A slot starts on its day, at or after midnight, and
    ends by the next midnight, so the days' midnights bound every counter the days can have;
    counters of times the rules no longer make may come along and are not looked at."""
    connection = connections[router.db_for_read(Slot)]
    query = _week_queries.get(connection)
    if query is None:
        query = _week_queries[connection] = _week_query(connection)
    span = _span(query, connection, first, last)
    pk = resource.pk
    rules, closures, taken, _resource = _week(
        query, connection, [pk, pk, span[0], span[1], pk, span[2], span[3]]
    )
    return rules, closures, taken


#: The week with its resource by slug, per connection (None: a vendor without the JSON).
_picker_weeks: weakref.WeakKeyDictionary[Any, _WeekQuery | None] = weakref.WeakKeyDictionary()
_MAX_PICKER_RESOURCES_JSON = 256
_picker_resources: dict[str, PickerResource] = {}
_BOOLEANS = tuple(
    position
    for position, name in enumerate(_PICKER_COLUMNS)
    if Resource._meta.get_field(name).get_internal_type() == "BooleanField"
)


def picker_week(slug: str, first: date, last: date) -> tuple[PickerResource, Week] | None:
    """``resource_for_picker(slug)`` and ``week_reads`` of it for ``first`` .. ``last`` in
    one statement (the picker's page on a visit: a round trip fewer, ~0.15 ms on
    PostgreSQL); Http404 for no such resource; None on a database without the JSON
    functions (then the two reads). The resource comes as one JSON array of its columns,
    decoded once per process for each text (the same resource on every page; not personal):
    integers, texts and the topics' JSON as the ORM gives them, SQLite's 0/1 made booleans."""
    connection = connections[router.db_for_read(Slot)]
    if connection not in _picker_weeks:
        _picker_weeks[connection] = (
            _week_query(connection, by_slug=True) if connection.vendor in _RESOURCE_JSON else None
        )
    query = _picker_weeks[connection]
    if query is None:
        return None
    span = _span(query, connection, first, last)
    rules, closures, taken, text = _week(
        query, connection, [slug, slug, span[0], span[1], slug, span[2], span[3], slug]
    )
    if text is None:
        raise Http404
    resource = _picker_resources.get(text)
    if resource is None:
        values = json.loads(text)
        for position in _BOOLEANS:
            values[position] = bool(values[position])
        resource = PickerResource._make(values)
        if len(_picker_resources) >= _MAX_PICKER_RESOURCES_JSON:
            _picker_resources.clear()
        _picker_resources[text] = resource
    return resource, (rules, closures, taken)


def closed_reason(resource: Resource, day: date, closures: dict[date, str]) -> str:
    """Why ``resource`` is closed on ``day`` (a closure, a holiday, Sunday), or ""."""
    return timetable.closed_reason(
        day,
        closures=closures,
        closed_on_sundays=resource.closed_on_sundays,
        closed_on_holidays=resource.closed_on_holidays,
    )


def calendar_days(
    resource: PickerSource,
    first: date,
    count: int,
    *,
    read: tuple[list[RuleRow], dict[date, str]] | None = None,
) -> list[timetable.Day]:
    """The days ``first`` .. ``first + count - 1`` with their slots (capacity, not use);
    ``read``: the rules and these days' closures, already read (``week_reads``)."""
    last = first + timedelta(days=count - 1)
    if read is None:
        rules, closures = opening_rules(resource), closures_between(resource, first, last)
    else:
        rules, closures = read
    return list(
        _calendar(
            first,
            count,
            tuple(rules),
            tuple(sorted(closures.items())),
            (
                resource.capacity,
                resource.slot_minutes,
                resource.buffer_minutes,
                resource.closed_on_sundays,
                resource.closed_on_holidays,
            ),
            get_language(),
        )
    )


@functools.lru_cache(maxsize=512)
def _calendar(
    first: date,
    count: int,
    rules: tuple[RuleRow, ...],
    closures: tuple[tuple[date, str], ...],
    settings: tuple[int, int, int, bool, bool],
    language: str | None,
) -> tuple[timetable.Day, ...]:
    """``calendar_days`` from the rules and closures read and the resource's settings,
    remembered per process: the days follow from these values and the language (of a
    holiday's name) alone, and every picker page computes the same week again (~20 µs)."""
    capacity, slot_minutes, buffer_minutes, closed_on_sundays, closed_on_holidays = settings
    found = dict(closures)
    days = []
    for offset in range(count):
        day = first + timedelta(days=offset)
        reason = timetable.closed_reason(
            day,
            closures=found,
            closed_on_sundays=closed_on_sundays,
            closed_on_holidays=closed_on_holidays,
        )
        if reason:
            days.append(timetable.Day(day, (), reason))
            continue
        windows = tuple(
            (opens, closes, rule_capacity or capacity)
            for weekday, opens, closes, rule_capacity, valid_from, valid_until in rules
            if weekday == day.weekday()
            and (valid_from is None or valid_from <= day)
            and (valid_until is None or day <= valid_until)
        )
        slots = timetable.day_slots(
            day, windows, slot_minutes=slot_minutes, buffer_minutes=buffer_minutes
        )
        days.append(timetable.Day(day, slots))
    return tuple(days)


def slot_at(resource: Resource, starts_at: datetime) -> timetable.SlotTime | None:
    """The slot starting exactly at ``starts_at``, if the calendar has one."""
    day = timetable.today_local(starts_at)
    # A slot after midnight UTC may belong to the day before in Oslo and vice versa.
    for found in calendar_days(resource, day - timedelta(days=1), 2):
        for slot in found.slots:
            if slot.starts_at == starts_at:
                return slot
    return None


def taken_on(resource: Resource, days: list[timetable.Day]) -> dict[datetime, int]:
    """The places taken of each slot of ``days`` that has a counter (none: nothing taken)."""
    open_days = [day.slots for day in days if day.slots]
    if not open_days:
        return {}
    # The days are in order and so are their slots: the first and the last are the bounds.
    return taken_between(resource, open_days[0][0].starts_at, open_days[-1][-1].starts_at)


def availability(
    resource: Resource, first: date, count: int, *, now: datetime | None = None
) -> list[DayView]:
    """The days with each slot's free places: full slots are listed, not hidden."""
    now = now or clock.now()
    days = calendar_days(resource, first, count)
    taken = taken_on(resource, days)
    earliest = now + timedelta(minutes=resource.min_notice_minutes)
    return [
        DayView(
            day.date,
            tuple(
                Availability(
                    slot, slot.capacity - taken.get(slot.starts_at, 0), slot.starts_at >= earliest
                )
                for slot in day.slots
            ),
            day.closed_reason,
        )
        for day in days
    ]


def nearest_free(
    resource: Resource, around: datetime, *, now: datetime | None = None, limit: int = 3
) -> list[timetable.SlotTime]:
    """Free slots nearest to ``around`` (for the person who lost the last seat)."""
    now = now or clock.now()
    today = timetable.today_local(now)
    first = max(today, timetable.today_local(around) - timedelta(days=3))
    last = min(today + timedelta(days=resource.horizon_days), first + timedelta(days=10))
    free = [
        item.slot
        for day in availability(resource, first, (last - first).days + 1, now=now)
        for item in day.slots
        if item.bookable and not item.full and item.slot.starts_at != around
    ]
    free.sort(key=lambda slot: abs((slot.starts_at - around).total_seconds()))
    return sorted(free[:limit], key=lambda slot: slot.starts_at)


# --- reservations -----------------------------------------------------------------------------


def reservations_for_person(user: Viewer) -> QuerySet[Reservation]:
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return Reservation.objects.none()
    return Reservation.objects.select_related("resource__agency").filter(user_id=user.pk)


def upcoming_for_person(user: Viewer, *, now: datetime | None = None) -> QuerySet[Reservation]:
    now = now or clock.now()
    return reservations_for_person(user).filter(
        status__in=(Reservation.Status.CONFIRMED, Reservation.Status.PENDING),
        ends_at__gte=now,
    )


def rentals_for_person(user: Viewer, *, now: datetime | None = None) -> QuerySet[RentalRequest]:
    """The person's weekly rental requests still pending or with dates to come."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return RentalRequest.objects.none()
    today = timetable.today_local(now or clock.now())
    return RentalRequest.objects.select_related("resource").filter(
        user_id=user.pk,
        status__in=(RentalRequest.Status.PENDING, RentalRequest.Status.APPROVED),
        last_date__gte=today,
    )


def reservation_for_person(user: Viewer, reservation_id: uuid.UUID | str) -> Reservation:
    found = reservations_for_person(user).filter(pk=uuid_or_404(reservation_id)).first()
    if found is None:
        raise Http404
    return found


def may_manage(user: Viewer, resource: Resource) -> bool:
    return has_role(user, AGENCY_ROLES, resource.agency) or has_role(user, OPERATOR)


def resources_for_staff(user: User) -> list[Resource]:
    return [r for r in Resource.objects.select_related("agency") if may_manage(user, r)]


def resource_for_staff(user: User, slug: str) -> Resource:
    found = resource_by_slug(slug)
    if not may_manage(user, found):
        raise Http404
    return found


def agenda(resource: Resource, start: datetime, end: datetime) -> QuerySet[Reservation]:
    return (
        Reservation.objects.select_related("user")
        .filter(resource=resource, starts_at__gte=start, starts_at__lt=end)
        .exclude(status__in=(Reservation.Status.HELD, Reservation.Status.EXPIRED))
    )


def reservation_for_staff(user: User, reservation_id: uuid.UUID | str) -> Reservation:
    found = (
        Reservation.objects.select_related("resource__agency", "user")
        .filter(pk=uuid_or_404(reservation_id))
        .first()
    )
    if found is None or not may_manage(user, found.resource):
        raise Http404
    return found


def resource_by_feed_token(token: str) -> Resource:
    found = (
        Resource.objects.select_related("agency").filter(feed_token=token).first()
        if token
        else None
    )
    if found is None:
        raise Http404
    return found
