"""Min side, the one place: what other apps show there, in one order, across every party.

Sections (drafts, cases, bookings…) are added without touching the view::

    from iktipet.accounts.my_page import ORDER_DRAFTS, my_page_section, shown_parties

    @my_page_section("applications/_my_drafts.html", order=ORDER_DRAFTS)
    def drafts(request, person):
        return {"groups": [(party, drafts_of(request.user, party)) for party in
                           shown_parties(request)]}

The template is included with the returned dict as ``section`` (plus the page's context);
a hook that writes its HTML itself returns ``{"html": SafeString}``, which the page writes
as it is (its template, ``{{ section.html }}``, is then for anything else that includes it).
The page lists everything the person may see: their own things and those of every
organisation Enhetsregisteret lists them for (``shown_parties``, narrowed by the page's
filter), not only the party the header names. Group by party, in that order.

What waits for the person goes to the first section, "Trenger svar fra deg", through the
second hook: a function that returns :class:`NeedsAnswer` items for the parties shown::

    @needs_answer("payments.claims")
    def open_claims(request, person, parties):
        return [NeedsAnswer(party, _("Betal gebyret"), claim.title, url, claim.due_date)
                for party in parties for claim in open_claims_of(party)]

They are listed together, soonest deadline first.

A section's rows are best registered as a query (``my_page_query``, a :class:`SectionQuery`)
and read with ``section_rows``: the page first asks of every registered query whether it
has any rows, in one statement, so a section with nothing costs no statement of its own.
Register all of them at ``AppConfig.ready()``.
"""

from __future__ import annotations

import datetime
import logging
import re
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.safestring import mark_safe

from iktipet.accounts.models import Person
from iktipet.accounts.my_page_html import needs_answer_html
from iktipet.accounts.parties import ActingParty, myself
from iktipet.accounts.registers import RegisterFailed, organisations_listed_for
from iktipet.core import rows
from iktipet.core.hooks import Hooks

logger = logging.getLogger(__name__)

#: The sections' places, in the order the page shows them (issue 14): what waits for an
#: answer, cases, messages, drafts, receipts, payments, bookings. Gaps leave room between.
ORDER_NEEDS_ANSWER = 10
ORDER_CASES = 20
ORDER_MESSAGES = 30
ORDER_NEIGHBOUR_NOTICES = 35
ORDER_DRAFTS = 40
ORDER_RECEIPTS = 50
ORDER_PAYMENTS = 60
ORDER_BOOKINGS = 70

#: The filter's value for "myself" (an organisation's is its orgnr; empty: every party).
MYSELF = "meg"
FILTER_PARAMETER = "part"

SectionContext = Callable[[HttpRequest, Person], dict[str, Any]]

#: Keyed by template.
section_hooks: Hooks[SectionContext] = Hooks("Min side section")


def my_page_section(
    template: str, *, order: int = 100
) -> Callable[[SectionContext], SectionContext]:
    return section_hooks.decorator(template, order=order)


@dataclass(frozen=True)
class NeedsAnswer:
    """One thing a party must answer: a request for information, an offer, a neighbour
    notice, a payment claim. ``deadline`` is a date or a datetime (None: no deadline)."""

    party: ActingParty
    what: str
    title: str
    url: str
    deadline: datetime.date | None = None

    @property
    def sort_key(self) -> tuple[int, datetime.date]:
        if self.deadline is None:
            return (1, datetime.date.max)
        day = self.deadline
        return (0, day.date() if isinstance(day, datetime.datetime) else day)


NeedsAnswerSource = Callable[[HttpRequest, Person, Sequence[ActingParty]], Iterable[NeedsAnswer]]

#: Keyed by a name of the contributing app's choosing ("cases.waiting").
needs_answer_hooks: Hooks[NeedsAnswerSource] = Hooks("Min side: needs an answer")


def needs_answer(key: str, *, order: int = 100) -> Callable[[NeedsAnswerSource], NeedsAnswerSource]:
    return needs_answer_hooks.decorator(key, order=order)


# --- whose things the page shows ---------------------------------------------------------------


@dataclass(frozen=True)
class PageParties:
    """Everyone the person may see things of (themself first), those the filter shows, the
    filter's value, and the register's failure (its organisations are then left out)."""

    all: tuple[ActingParty, ...]
    shown: tuple[ActingParty, ...]
    chosen: str
    register_error: str = ""


def filter_value(party: ActingParty) -> str:
    return party.id if party.is_organisation else MYSELF


def page_parties(request: HttpRequest, person: Person) -> PageParties:
    """The parties of ``request``'s Min side: the person and every organisation the register
    lists them for with the platform's role codes; ``?part=`` narrows what is shown. Read
    once per request."""
    memo = getattr(request, "_iktipet_page_parties", None)
    if isinstance(memo, PageParties):
        return memo
    error = ""
    try:
        organisations = organisations_listed_for(person)
    except RegisterFailed as exc:
        organisations, error = [], str(exc)
    everyone = (myself(person), *organisations)
    chosen = str(request.GET.get(FILTER_PARAMETER, ""))
    shown = tuple(party for party in everyone if filter_value(party) == chosen)
    if not shown:
        chosen, shown = "", everyone
    found = PageParties(everyone, shown, chosen, error)
    setattr(request, "_iktipet_page_parties", found)  # noqa: B010  (a memo, not an API)
    return found


def shown_parties(request: HttpRequest) -> tuple[ActingParty, ...]:
    """The parties whose things the page shows now (after ``page_parties``)."""
    memo = getattr(request, "_iktipet_page_parties", None)
    return memo.shown if isinstance(memo, PageParties) else ()


def grouped(
    parties: Iterable[ActingParty], items: Iterable[Any], key: Callable[[Any], tuple[str, str]]
) -> list[dict[str, Any]]:
    """``[{"party": …, "items": [...]}]`` per party (in ``parties``' order) that has items;
    ``key(item)`` gives the item's ``(kind, organisation number or "")``."""
    buckets: dict[tuple[str, str], list[Any]] = {}
    for item in items:
        buckets.setdefault(key(item), []).append(item)
    groups = []
    for party in parties:
        found = buckets.get((party.kind, party.orgnr))
        if found:
            groups.append({"party": party, "items": found})
    return groups


# --- what each section has, asked in one statement ----------------------------------------------


class Constant(str):
    """A parameter of a section's query that is the same on every request of its shape (a
    state the query leaves out, a partial index's condition said again): the probe writes it
    into its SQL as a literal. SQLite compares a parameter with a partial index's condition
    by the value bound to it, and so prepares the statement anew on every run that binds
    one: ~0.5 ms for the probe (issue 13). Elsewhere it is the string it is."""

    __slots__ = ()


def _literal(value: Constant) -> str:
    return "'" + value.replace("'", "''") + "'"


def _with_constants(sql: str, params: Sequence[Any]) -> str:
    """``sql`` (``%s`` parameters, ``%%`` a percent sign) with each :class:`Constant` of
    ``params`` written in as a literal; the other placeholders kept."""
    values = iter(params)

    def placeholder(match: re.Match[str]) -> str:
        if match.group() == "%%":
            return "%%"
        value = next(values)
        return _literal(value) if type(value) is Constant else "%s"

    return _PLACEHOLDER.sub(placeholder, sql)


_PLACEHOLDER = re.compile("%%|%s")


@dataclass(frozen=True)
class SectionQuery:
    """A section's rows: ``build(using)``, whose SQL takes ``params(connection)`` in its
    order; ``key`` names the query's shape (its SQL is compiled once per connection). A
    parameter that is the same for every request of the shape is best given as a
    :class:`Constant`."""

    model: type[Model]
    key: str
    build: Callable[[str], QuerySet[Any]]
    params: Callable[[BaseDatabaseWrapper], list[Any]]


QuerySource = Callable[[HttpRequest], SectionQuery | None]

#: Keyed by a name of the contributing app's choosing ("booking.bookings").
query_hooks: Hooks[QuerySource] = Hooks("Min side: a section's rows")


def my_page_query(name: str, *, order: int = 100) -> Callable[[QuerySource], QuerySource]:
    """Register the query of a section's rows (None: nothing to read for this person), so
    the page asks whether each has any in one statement before the sections read them:
    most people have nothing in most sections (issue 13)."""
    return query_hooks.decorator(name, order=order)


@dataclass(frozen=True)
class CarriedRows:
    """A section's rows read in the probe's statement, a statement fewer (issue 13: ~0.15 ms
    each on PostgreSQL): ``sql(connection)`` gives the SQL (``%s`` parameters, unique column
    names) and its ``ORDER BY`` over those columns as ``r.<name>``, or None when it could not
    be compiled (the section then reads its rows itself); ``key`` names its shape, ``params``
    its parameters in its order. Its first column is never NULL. The section gets the rows
    as the driver gives them."""

    model: type[Model]
    key: Any
    sql: Callable[[BaseDatabaseWrapper], tuple[str, str] | None]
    params: list[Any]


CarriedSource = Callable[[HttpRequest], CarriedRows | None]

#: Keyed by a name of the contributing app's choosing ("cases.with_threads"). The page
#: carries the first that gives rows to read; any other reads them itself.
carried_hooks: Hooks[CarriedSource] = Hooks("Min side: rows read with the probe")


def my_page_carried(name: str, *, order: int = 100) -> Callable[[CarriedSource], CarriedSource]:
    """Register a section's rows to be read in the page's probe (see :class:`CarriedRows`):
    for the one section most people have rows in."""
    return carried_hooks.decorator(name, order=order)


#: Per connection, per tuple of the queries' keys and the carried rows' key: the statement
#: (None: not compiled with the parameters expected; each section then reads for itself).
_probes: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[Any, rows.Statement | None]] = (
    weakref.WeakKeyDictionary()
)


def _probe_sql(
    connection: BaseDatabaseWrapper,
    using: str,
    queries: list[SectionQuery],
    params: list[Any],
    carried: CarriedRows | None,
) -> rows.Statement | None:
    """``SELECT EXISTS(…), EXISTS(…)``, one per query, as ``QuerySet.exists()`` writes each
    (its ``SELECT 1`` is a parameter, the first of each), run without Django's cursor
    (``core.rows.fetch``: its wrapper and, on SQLite, its rewrite of the SQL cost more than
    the statement; issue 13). With ``carried``: those columns on each of its rows, after a
    LEFT JOIN from one row (no rows: one row, the carried columns NULL)."""
    parts, example = [], []
    for query in queries:
        sql, found = query.build(using).query.exists().get_compiler(using=using).as_sql()
        parts.append(f"EXISTS({sql})")
        example += found
    if list(example) != params:
        logger.warning(
            "Min side's probe not compiled (parameters %r, expected %r)", example, params
        )
        return None
    if carried is None:
        return rows.prepare(connection, _with_constants("SELECT " + ", ".join(parts), params))
    compiled = carried.sql(connection)
    if compiled is None:
        return None
    sql, order = compiled
    columns = ", ".join([*parts, "r.*"])
    sql = (
        f"SELECT {columns} FROM (SELECT 1 AS one) o LEFT JOIN ({sql}) r ON 1 = 1"  # noqa: S608
        f" ORDER BY {order}"
    )
    return rows.prepare(connection, _with_constants(sql, [*params, *carried.params]))


def _probe(
    connection: BaseDatabaseWrapper,
    using: str,
    queries: list[SectionQuery],
    carried: CarriedRows | None,
) -> list[Any] | None:
    """The probe's rows (one without ``carried``), or None when it could not be compiled."""
    params = [value for query in queries for value in (1, *query.params(connection))]
    every = params if carried is None else [*params, *carried.params]
    # The constants written into the SQL are part of its shape.
    constants = tuple(value for value in every if type(value) is Constant)
    per_connection = _probes.setdefault(connection, {})
    key = (tuple(query.key for query in queries), carried.key if carried else None, constants)
    if key not in per_connection:
        per_connection[key] = _probe_sql(connection, using, queries, params, carried)
    statement = per_connection[key]
    if statement is None:
        return None
    if constants:
        every = [value for value in every if type(value) is not Constant]
    if carried is None:
        return [rows.fetch(connection, statement, every, True)]
    return rows.fetch(connection, statement, every, False)


def _probed(request: HttpRequest) -> dict[str, tuple[SectionQuery | None, bool]]:
    """Per registered query: the query and whether it has rows, read in one statement once a
    request (a query that could not be asked so: True, its section reads as before), with
    the first carried section's rows (``carried_rows``)."""
    memo = getattr(request, "_iktipet_my_page_probed", None)
    if memo is not None:
        return memo
    found = {hook.key: hook.value(request) for hook in query_hooks.entries()}
    asked = [(name, query) for name, query in found.items() if query is not None]
    result: dict[str, tuple[SectionQuery | None, bool]] = {
        name: (query, query is not None) for name, query in found.items()
    }
    carried_name, carried = "", None
    for hook in carried_hooks.entries():
        carried = hook.value(request)
        if carried is not None:
            carried_name = hook.key
            break
    usings = {router.db_for_read(query.model) for _name, query in asked}
    if carried is not None:
        carried_using = router.db_for_read(carried.model)
        if usings and carried_using not in usings:
            carried = None  # another database: the section reads its rows itself
        else:
            usings.add(carried_using)
    if len(usings) == 1:
        using = usings.pop()
        connection = connections[using]
        queries = [query for _name, query in asked]
        found_rows = _probe(connection, using, queries, carried)
        if found_rows is not None:
            width = len(queries)
            for (name, query), has in zip(asked, found_rows[0][:width], strict=True):
                result[name] = (query, bool(has))
            if carried is not None:
                # The LEFT JOIN's one row of NULLs: no rows.
                rows_of = [row[width:] for row in found_rows if row[width] is not None]
                setattr(request, "_iktipet_my_page_carried", {carried_name: rows_of})  # noqa: B010
    setattr(request, "_iktipet_my_page_probed", result)  # noqa: B010  (a memo, not an API)
    return result


def carried_rows(request: HttpRequest, name: str) -> list[Any] | None:
    """The rows of the carried section registered as ``name``, read with the page's probe
    (the driver's values, in the carried SQL's columns), or None when they were not (the
    section reads them itself)."""
    carried = getattr(request, "_iktipet_my_page_carried", None)
    return None if carried is None else carried.get(name)


def section_rows(request: HttpRequest, name: str, limit: int) -> list[Any]:
    """The first ``limit`` rows of the query registered as ``name``: none without a query,
    none when the page's probe found none (no statement), else one statement compiled once
    per connection (``core.rows``)."""
    query, has = _probed(request).get(name, (None, False))
    if query is None or not has:
        return []
    return rows.every(
        query.model,
        (query.key, "rows", limit),
        lambda using: query.build(using)[:limit],
        query.params,
    )


# --- the page ------------------------------------------------------------------------------------


def needs_answer_items(request: HttpRequest, person: Person) -> list[NeedsAnswer]:
    parties = shown_parties(request)
    hooks = needs_answer_hooks.entries()
    items = [item for hook in hooks for item in hook.value(request, person, parties)]
    return sorted(items, key=lambda item: item.sort_key)


def rendered_sections(request: HttpRequest, person: Person) -> list[dict[str, Any]]:
    """``[{"template": …, "context": {…}, "html": …}]`` in order, for the Min side template.
    A section whose hook gives its HTML already (``{"html": …}``) is written as it is, not
    through its template: an ``{% include %}`` costs ~0.05 ms of CPU (issue 13)."""
    page_parties(request, person)
    _probed(request)
    found = []
    for hook in section_hooks.entries():
        context = hook.value(request, person)
        found.append({"template": hook.key, "context": context, "html": context.get("html")})
    return found


def needs_answer_section(request: HttpRequest, person: Person) -> dict[str, Any]:
    items = needs_answer_items(request, person)
    return {"items": items, "html": needs_answer_html(items, len(shown_parties(request)) > 1)}


def section_parts(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sections as the page's template writes them: the HTML of neighbouring hooks
    that wrote their own joined into one ``{"html": …}``, a section that did not as it is
    (the template includes its template, as before)."""
    found: list[dict[str, Any]] = []
    pending: list[str] = []
    for section in sections:
        if section["html"] is not None:
            pending.append(section["html"])
            continue
        if pending:
            found.append({"html": mark_safe("".join(pending))})  # noqa: S308 (HTML already)
            pending = []
        found.append(section)
    if pending:
        found.append({"html": mark_safe("".join(pending))})  # noqa: S308 (HTML already)
    return found
