"""Min side's cases and messages, and what cases wait for ("Trenger svar fra deg").

Every party the page shows (the person and the organisations the register lists them for):
its cases with a status tag, the agency and the case number with it; the case threads as an
inbox with unread counts; the offers and requests for information that wait for an answer.

Importing this module (``CasesConfig.ready`` does) also connects :mod:`iktipet.cases.signals`.
"""

from __future__ import annotations

import logging
import uuid
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.signals import setting_changed
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iktipet.accounts.my_page import (
    ORDER_CASES,
    ORDER_MESSAGES,
    CarriedRows,
    NeedsAnswer,
    carried_rows,
    grouped,
    my_page_carried,
    my_page_section,
    needs_answer,
    shown_parties,
)
from iktipet.accounts.my_page_html import e
from iktipet.accounts.parties import ActingParty
from iktipet.cases.citizen_html import oslo_text
from iktipet.cases.min_side_html import (
    case_rows,
    cases_html,
    labels,
    messages_html,
    thread_rows,
)
from iktipet.cases.workflow import get_workflow
from iktipet.core import rows

LIMIT = 50
logger = logging.getLogger(__name__)

#: The workflow's kind of status → Designsystemet's tag colour.
DONE, WAITING, OPEN = "success", "warning", "info"


@dataclass
class CaseRow:
    """A case as Min side lists it: read as one ``values()`` row (no model instances, no
    joins; issue 13), with what the sections add to it."""

    pk: Any
    title: str
    reference: str
    agency_name: str
    workflow: Any  # the case's Workflow
    status: str
    is_open: bool
    party_kind: str
    party_identifier: str
    received_at: Any
    decided_at: Any
    waiting_until: Any
    thread_id: Any
    url: str = ""
    unread: int = 0
    decision_notice: str = ""
    line: str = ""

    @property
    def is_organisation(self) -> bool:
        return self.party_kind == "organisation"

    @property
    def status_label(self) -> str:
        return str(self.workflow.label(self.status))

    @property
    def waiting(self) -> bool:
        state = self.workflow.state(self.status)
        return bool(state and state.waiting)

    @property
    def tag_colour(self) -> str:
        if not self.is_open:
            return DONE
        return WAITING if self.waiting else OPEN


def _party_key(case: CaseRow) -> tuple[str, str]:
    return (case.party_kind, case.party_identifier if case.is_organisation else "")


def _party_of(case: CaseRow, parties: Sequence[ActingParty]) -> ActingParty:
    return next(p for p in parties if (p.kind, p.orgnr) == _party_key(case))


def _agency_names(ids: set[Any]) -> dict[Any, str]:
    """Agency names from the cached agency list (a minute old at most, as the front page's);
    an agency newer than the cache is read."""
    from iktipet.core.models import Agency
    from iktipet.core.selectors import agencies

    names = {agency.pk: agency.name for agency in agencies() if agency.pk in ids}
    missing = ids - names.keys()
    if missing:
        names |= {agency.pk: agency.name for agency in Agency.objects.filter(pk__in=missing)}
    return names


def _ids_of(model: type[Model], field: str, ids: list[Any]) -> Callable[[Any], list[Any]]:
    """The parameters of ``field__in=ids`` as the database gets them (``core.rows``)."""
    prep = model._meta.get_field(field).get_db_prep_value
    return lambda connection: [prep(value, connection) for value in ids]


#: Per (script prefix, URLconf): the case page's address around a case's primary key.
_case_address: dict[tuple[str, Any], tuple[str, str]] = {}


@receiver(setting_changed)
def _forget_case_address(**_: Any) -> None:
    _case_address.clear()


def _case_urls() -> Callable[[Any], str]:
    """The case page's address for a case's primary key: one ``reverse()`` a process, not
    one a row or a page (~0.1 ms each; issue 13)."""
    key = (get_script_prefix(), get_urlconf())
    found = _case_address.get(key)
    if found is None:
        example = uuid.UUID(int=0)
        before, after = reverse("cases:case", args=[example]).split(str(example))
        found = _case_address[key] = (before, after)
    before, after = found
    return lambda pk: f"{before}{pk}{after}"


#: Per connection, per shape of parties: the cases with their threads' figures compiled, or
#: None when the ORM compiled other parameters than expected (the cases and the threads are
#: then read as two statements, as before).
_with_threads: weakref.WeakKeyDictionary[BaseDatabaseWrapper, dict[Any, _Compiled | None]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True)
class _Compiled:
    statement: rows.Statement  # the SQL below, newest first
    sql: str  # without its ORDER BY: for the page's probe to carry (``CarriedRows``)
    order: str  # that ORDER BY over the probe's ``r``
    converters: dict[int, tuple[list[Any], Any]]  # column: (functions, expression)


def _compile_with_threads(
    connection: BaseDatabaseWrapper,
    using: str,
    user: Any,
    parties: Sequence[ActingParty],
    case_params: list[Any],
) -> _Compiled | None:
    """``case_rows_for_citizen_parties``'s query (``LIMIT + 1`` rows), each row with its
    thread's number of messages, the latest one's time and how many the reader has not read
    (as ``messaging.selectors.thread_overview`` counts them: the other sides' messages after
    the reader's marker, all of them without one): one statement, not two (issue 13)."""
    from iktipet.cases.selectors import CASE_ROW_FIELDS, cases_for_citizen_parties
    from iktipet.messaging.models import Message, ThreadRead
    from iktipet.messaging.selectors import OTHER_SIDES

    queryset = (
        cases_for_citizen_parties(user, parties)
        .using(using)
        .select_related(None)
        .values_list(*CASE_ROW_FIELDS)[: LIMIT + 1]
    )
    compiler = queryset.query.get_compiler(connection=connection)
    inner, example = compiler.as_sql()
    width = len(CASE_ROW_FIELDS)
    # _case_rows reads the thread by its place, the figures after it.
    assert CASE_ROW_FIELDS[-1] == "thread_id"
    if list(example) != case_params or compiler.col_count != width:
        logger.warning("Min side's cases not compiled (parameters %r)", example)
        return None
    q = connection.ops.quote_name

    def column(model: Any, name: str) -> str:
        return q(model._meta.get_field(name).column)

    message, read = q(Message._meta.db_table), q(ThreadRead._meta.db_table)
    m_thread, m_side, m_at = (column(Message, n) for n in ("thread", "side", "created_at"))
    r_thread, r_user, r_at = (column(ThreadRead, n) for n in ("thread", "user", "last_read_at"))
    thread = f"c.{q('thread_id')}"
    sides = ", ".join(["%s"] * len(OTHER_SIDES[Message.Side.CITIZEN]))
    # Names from the models and the ORM's own SQL; every value a parameter.
    select = ", ".join(f"c.{q(name)}" for name in CASE_ROW_FIELDS)
    count = f"SELECT COUNT(*) FROM {message} m WHERE m.{m_thread} = {thread}"  # noqa: S608
    latest_at = f"SELECT MAX(m.{m_at}) FROM {message} m WHERE m.{m_thread} = {thread}"  # noqa: S608
    marker = f"SELECT 1 FROM {read} r WHERE r.{r_thread} = m.{m_thread} AND r.{r_user} = %s"  # noqa: S608
    unread = (
        f"{count} AND m.{m_side} IN ({sides}) AND NOT EXISTS ({marker} AND r.{r_at} >= m.{m_at})"
    )
    figures = f'({count}) AS "messages", ({latest_at}) AS "latest", ({unread}) AS "unread"'
    sql = f"SELECT {select}, {figures} FROM ({inner}) c"  # noqa: S608

    def newest_first(alias: str) -> str:
        return f"{alias}.{q('received_at')} DESC, {alias}.{q('id')} DESC"

    converters = compiler.get_converters([found[0] for found in compiler.select[:width]])
    latest = Message._meta.get_field("created_at").get_col("m")
    functions = connection.ops.get_db_converters(latest) + latest.get_db_converters(connection)
    if functions:
        converters[width + 1] = (functions, latest)
    statement = rows.prepare(connection, f"{sql} ORDER BY {newest_first('c')}")
    return _Compiled(statement, sql, newest_first("r"), converters)


def _shape(request: HttpRequest) -> tuple[Any, Sequence[ActingParty], tuple[str, ...], list[Any]]:
    """The user, the shown parties, their kinds (the shape of the query) and the query's
    parameters of the parties, as ``cases.selectors`` filters each: ("organisation", orgnr)
    or ("person", the user); no kinds: nothing to read."""
    user, parties = request.user, shown_parties(request)
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_citizen", False):
        return user, parties, (), []
    owners = [
        ("organisation", party.identifier)
        if party.is_organisation and party.identifier
        else ("person", user.pk)
        for party in parties
    ]
    # Q(**kwargs) orders its conditions by name: applicant_id before party_kind,
    # party_identifier before party_kind.
    params = [value for kind, key in owners for value in (key, kind)]
    return user, parties, tuple(kind for kind, _key in owners), params


def _compiled(
    connection: BaseDatabaseWrapper,
    using: str,
    shape: tuple[Any, Sequence[ActingParty], tuple[str, ...], list[Any]],
) -> _Compiled | None:
    user, parties, kinds, case_params = shape
    per_connection = _with_threads.setdefault(connection, {})
    if kinds not in per_connection:
        per_connection[kinds] = _compile_with_threads(connection, using, user, parties, case_params)
    return per_connection[kinds]


def _params(shape: tuple[Any, Sequence[ActingParty], tuple[str, ...], list[Any]]) -> list[Any]:
    from iktipet.messaging.models import Message
    from iktipet.messaging.selectors import OTHER_SIDES

    user, _parties, _kinds, case_params = shape
    return [*OTHER_SIDES[Message.Side.CITIZEN], user.pk, *case_params]


@my_page_carried("cases.with_threads")
def _carried(request: HttpRequest) -> CarriedRows | None:
    """The cases with their threads' figures, read in Min side's probe: most people who come
    to Min side have cases, so this read is the one worth carrying (issue 13)."""
    from iktipet.cases.models import Case

    shape = _shape(request)
    if not shape[2]:
        return None

    def sql(connection: BaseDatabaseWrapper) -> tuple[str, str] | None:
        compiled = _compiled(connection, connection.alias, shape)
        return None if compiled is None else (compiled.sql, compiled.order)

    return CarriedRows(Case, ("cases.with_threads", shape[2]), sql, _params(shape))


def _case_rows(request: HttpRequest) -> tuple[list[Any], dict[Any, dict[str, Any]]]:
    """The shown parties' cases (at most ``LIMIT + 1``, newest first) as rows of
    ``CASE_ROW_FIELDS``, and per thread of theirs that has messages: ``count``, ``latest``,
    ``unread``, as ``thread_overview`` gives them. Read with the page's probe, else one
    statement of its own, compiled once per connection and shape of parties."""
    from iktipet.cases.models import Case
    from iktipet.cases.selectors import case_rows_for_citizen_parties
    from iktipet.messaging.selectors import thread_overview

    shape = _shape(request)
    user, parties, kinds, _case_params = shape
    if not kinds:
        return [], {}
    using = router.db_for_read(Case)
    connection = connections[using]
    compiled = _compiled(connection, using, shape)
    if compiled is None:
        found: list[Any] = case_rows_for_citizen_parties(user, parties, LIMIT + 1)
        ids = [row[-1] for row in found[:LIMIT] if row[-1]]
        return found, thread_overview(user, ids, side_of_reader="citizen")
    carried = carried_rows(request, "cases.with_threads")
    if carried is None:
        found = rows.fetch(connection, compiled.statement, _params(shape), False)
    else:
        found = carried
    if compiled.converters:
        converters = compiled.converters.items()
        converted = []
        for row in found:
            row = list(row)
            for position, (functions, expression) in converters:
                for function in functions:
                    row[position] = function(row[position], expression, connection)
            converted.append(row)
        found = converted
    threads = {
        row[13]: {"count": row[14], "latest": row[15], "unread": row[16]}
        for row in found[:LIMIT]
        if row[14]
    }
    return found, threads


def _cases(request: HttpRequest) -> tuple[list[CaseRow], bool]:
    """The shown parties' cases, newest first (one query with their threads, memoised for
    the request)."""
    memo = getattr(request, "_iktipet_min_side_cases", None)
    if memo is not None:
        return memo
    found_rows, threads = _case_rows(request)
    setattr(request, "_iktipet_min_side_threads", threads)  # noqa: B010  (a memo)
    shown = found_rows[:LIMIT]
    names = _agency_names({row[4] for row in shown}) if shown else {}
    url_of = _case_urls()
    # The columns of CASE_ROW_FIELDS, in its order.
    found = [
        # CaseRow's fields in their order.
        CaseRow(
            row[0],
            row[1],
            f"{row[2]}/{row[3]:06d}",
            names.get(row[4], ""),
            get_workflow(row[5]),
            # status, is_open, party_kind, party_identifier, the times, thread_id
            *(row[6], row[7], row[8], row[9], row[10], row[11], row[12], row[13]),
            url_of(row[0]),
        )
        for row in shown
    ]
    memo = (found, len(found_rows) > LIMIT)
    setattr(request, "_iktipet_min_side_cases", memo)  # noqa: B010  (a memo, not an API)
    return memo


def _threads(request: HttpRequest) -> dict[Any, dict[str, Any]]:
    """Per thread of the shown cases that has messages: messages, the latest, unread (read
    with the cases: both the cases and the messages section use it)."""
    _cases(request)
    return getattr(request, "_iktipet_min_side_threads", {})


def _decision_notices(cases: list[CaseRow]) -> dict[Any, str]:
    """A decision not yet opened, or one whose appeal deadline is still open; one query."""
    from iktipet.cases.deadlines import local_date
    from iktipet.cases.models import Decision

    notices: dict[Any, str] = {}
    decided = [case.pk for case in cases if case.decided_at is not None]
    if not decided:
        return notices
    today = local_date(timezone.now())
    found = rows.values(
        Decision,
        ("cases.min_side.decisions", len(decided)),
        lambda using: (
            Decision.objects.using(using)
            .filter(case_id__in=decided)
            .order_by()
            .values_list("case_id", "delivered_at", "appeal_deadline")
        ),
        _ids_of(Decision, "case", decided),
    )
    for case_id, delivered_at, appeal_deadline in found:
        if delivered_at is None:
            notices[case_id] = _("Du har fått vedtak i saken.")
        elif appeal_deadline and appeal_deadline >= today:
            notices[case_id] = _("Klagefristen er %(date)s.") % {
                "date": oslo_text(appeal_deadline, "SHORT_DATE_FORMAT")
            }
    return notices


@needs_answer("cases.waiting", order=10)
def waiting_for_answer(
    request: HttpRequest, person: Any, parties: Sequence[ActingParty]
) -> list[NeedsAnswer]:
    """Offers of a kindergarten place and requests for more information, with deadlines."""
    from iktipet.cases.models import Offer

    cases, _more = _cases(request)
    found: list[NeedsAnswer] = []
    offered = set()
    # Only workflows that make offers can have one: no query for the others.
    open_ids = [case.pk for case in cases if case.is_open and case.workflow.offer_answer_days]
    by_id = {case.pk: case for case in cases}
    offers = (
        rows.values(
            Offer,
            ("cases.min_side.offers", len(open_ids)),
            lambda using: (
                Offer.objects.using(using)
                .filter(case_id__in=open_ids, status=Offer.Status.OFFERED)
                .order_by()
                .values_list("case_id", "kindergarten_name", "answer_by")
            ),
            lambda connection: [
                *_ids_of(Offer, "case", open_ids)(connection),
                Offer.Status.OFFERED.value,
            ],
        )
        if open_ids
        else []
    )
    for case_id, kindergarten_name, answer_by in offers:
        case = by_id[case_id]
        offered.add(case.pk)
        what = _("Svar på tilbudet om plass i %(name)s") % {"name": kindergarten_name}
        url = case.url + "#tilbud"
        found.append(NeedsAnswer(_party_of(case, parties), what, case.title, url, answer_by))
    for case in cases:
        if case.pk in offered or not case.waiting:
            continue
        what = _("Saksbehandleren ber om mer informasjon")
        url = case.url + "#svar"
        deadline = timezone.localdate(case.waiting_until) if case.waiting_until else None
        found.append(NeedsAnswer(_party_of(case, parties), what, case.title, url, deadline))
    return found


@my_page_section("cases/citizen/_min_side.html", order=ORDER_CASES)
def cases_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    parties = shown_parties(request)
    cases, more = _cases(request)
    threads = _threads(request)
    decisions = _decision_notices(cases)
    # The line under each title, formatted here rather than by a {% blocktranslate %} a row
    # (the same message id, so the same translations).
    line = labels()["case_line"]
    for case in cases:
        thread = threads.get(case.thread_id)
        case.unread = thread["unread"] if thread else 0
        case.decision_notice = decisions.get(case.pk, "")
        case.line = mark_safe(  # noqa: S308 (every value escaped)
            line
            % {
                "agency": e(case.agency_name),
                "reference": e(case.reference),
                "received": e(_short_date(case.received_at)),
            }
        )
    groups = grouped(parties, cases, _party_key)
    for group in groups:
        group["html"] = case_rows(group["items"])
    return {"html": cases_html(groups, more, LIMIT, show_party=len(parties) > 1)}


def _short_date(moment: Any, format_name: str = "SHORT_DATE_FORMAT") -> str:
    """As the ``date`` filter shows a moment (in Oslo time, the current time zone)."""
    return oslo_text(moment, format_name)


def _thread_line(case: CaseRow, stats: dict[str, Any]) -> str:
    """ "Agency · 3 meldinger · sist <when>", as the template's {% blocktranslate count %}
    said it (the same message ids), with every value escaped."""
    line = ngettext(
        "%(agency)s · %(counter)s melding · sist %(latest)s",
        "%(agency)s · %(counter)s meldinger · sist %(latest)s",
        stats["count"],
    )
    return mark_safe(  # noqa: S308 (every value escaped)
        line
        % {
            "agency": e(case.agency_name),
            "counter": stats["count"],
            "latest": e(_short_date(stats["latest"], "SHORT_DATETIME_FORMAT")),
        }
    )


@my_page_section("cases/citizen/_min_side_messages.html", order=ORDER_MESSAGES)
def messages_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    """The threads of the shown cases that have messages, latest first, with unread counts."""
    cases, _more = _cases(request)
    parties = shown_parties(request)
    stats = _threads(request)
    threads = [
        {
            "case": case,
            "party": _party_of(case, parties),
            "count": stats[case.thread_id]["count"],
            "latest": stats[case.thread_id]["latest"],
            "unread": stats[case.thread_id]["unread"],
            "line": _thread_line(case, stats[case.thread_id]),
        }
        for case in cases
        if case.thread_id in stats
    ]
    threads.sort(key=lambda thread: thread["latest"], reverse=True)
    rows = thread_rows(threads, show_party=len(parties) > 1)
    return {"html": messages_html(rows, sum(thread["unread"] for thread in threads))}
