"""The case workers' inbox: one agency's cases, filtered, newest first, keyset-paginated.

Every query starts from :func:`selectors.cases_for_staff`, so another agency's case can
never be listed whatever the parameters say. Pages are cut on ``(received_at, id)``
descending with an opaque cursor (never OFFSET): page 4 000 costs what page 1 costs, and a
case arriving meanwhile shifts nothing. Each filter is served by one of the ``case_inbox_*``
indexes of :class:`Case` (see bench/bench_inbox.py for the plans and timings).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString

from iktipet.cases import deadlines, selectors
from iktipet.cases.inbox_html import inbox_content_html
from iktipet.cases.models import Case
from iktipet.cases.permissions import case_agency_ids
from iktipet.cases.workflow import all_workflows, get_workflow
from iktipet.core import rows as compiled_rows
from iktipet.messaging.selectors import OTHER_SIDES, unread_count_of, unread_counts

VIEWS = ("mine", "unassigned", "all")
PAGE_SIZE = 25
MAX_QUERY = 100
#: Case numbers as people say them: "2026/000123", or the running number alone.
CASE_NUMBER = re.compile(r"^(?:(?P<year>\d{4})\s*/\s*)?(?P<sequence>\d{1,9})$")
APPLICATION_REFERENCE = re.compile(r"^IKT-\d{4}-[0-9A-Z]{6}$", re.IGNORECASE)
#: The highest code point: under the database's code point order (C.UTF-8) every string
#: starting with ``q`` sorts between ``q`` and ``q + TOP`` — a range the name index serves.
TOP = "\U0010ffff"
#: The inbox's reader: its unread messages are the citizen's.
STAFF = "staff"


#: What an inbox row shows (and its cursor is made of): :class:`InboxRow`'s columns. The
#: rows of :func:`inbox_page` read only these, then on "Alle saker" the assignee's names, then
#: the unread count or the thread's id.
ROW_COLUMNS = (
    "id",
    "year",
    "sequence",
    "title",
    "workflow",
    "status",
    "is_open",
    "party_name",
    "received_at",
    "due_date",
    "waiting_until",
)
#: The assignee's name (``get_full_name()``, else ``get_username()``), on "Alle saker"; no
#: username (a user always has one): no assignee (the join is a LEFT JOIN).
ASSIGNEE_FIELDS = ("assignee__first_name", "assignee__last_name", "assignee__username")


class Assignee(NamedTuple):
    """A case's assignee as "Alle saker" shows them: the names the user model's
    ``get_full_name()`` and ``get_username()`` give."""

    first_name: str
    last_name: str
    username: str

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()  # as AbstractUser's

    def get_username(self) -> str:
        return self.username


class InboxRow(NamedTuple):
    """An inbox row: the columns of ``ROW_COLUMNS`` as plain values, not a Case instance
    (one was ~40 µs to build, a page has 25; issue 13). ``assignee`` is the reader on
    "Mine saker", an :class:`Assignee` or None on "Alle saker", None on "Ufordelte saker";
    ``unread`` the count of the citizen's messages the case workers have not read."""

    id: uuid.UUID
    year: int
    sequence: int
    title: str
    workflow: str
    status: str
    is_open: bool
    party_name: str
    received_at: dt.datetime
    due_date: dt.date | None
    waiting_until: dt.datetime | None
    assignee: Any
    unread: int = 0

    @property
    def pk(self) -> uuid.UUID:
        return self.id

    @property
    def reference(self) -> str:
        """The case number as people say it (``Case.reference``): ``2026/000123``."""
        return f"{self.year}/{self.sequence:06d}"

    @property
    def status_label(self) -> str:
        return get_workflow(self.workflow).label(self.status)


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class Cursor:
    received_at: dt.datetime
    id: uuid.UUID

    def encode(self) -> str:
        raw = json.dumps([self.received_at.isoformat(), str(self.id)], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str) -> Cursor:
        try:
            padded = value + "=" * (-len(value) % 4)
            received, pk = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
            moment = parse_datetime(received)
            if moment is None or timezone.is_naive(moment):
                raise ValueError(received)
            # In UTC, as the database compares it: 0001-01-01T00:00+14:00 is before year 1.
            moment = moment.astimezone(dt.UTC)
            return cls(moment, uuid.UUID(pk))
        except (ValueError, TypeError, OverflowError, binascii.Error, UnicodeError) as exc:
            raise InvalidCursor(value) from exc

    @classmethod
    def of(cls, case: Case | InboxRow) -> Cursor:
        return cls(case.received_at, case.pk)


@dataclass
class InboxPage:
    rows: list[InboxRow]
    #: ``?etter=`` for the next (older) page, ``?for=`` for the previous (newer) one.
    next_cursor: str | None = None
    previous_cursor: str | None = None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    def render(self, context: Any) -> SafeString:
        """The page's content from ``inbox_view``'s context, for ``{% include page %}`` in
        ``cases/staff/inbox.html`` (an include renders any object with this method): written
        in Python by :func:`inbox_html.inbox_content_html`, not by ~60 template tags."""
        return inbox_content_html(context)


def waiting_statuses() -> list[str]:
    """States where the ball is with the applicant, across all workflows."""
    return sorted(
        {
            state.id
            for workflow in all_workflows().values()
            for state in workflow.states
            if state.waiting
        }
    )


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Open cases past their due date (Oslo's today), or whose applicant's answer is late.

    ``waiting_until`` is only set while the case waits (services clear it on leaving), so the
    status condition changes nothing but lets the status index serve that half.
    """
    now = now or timezone.now()
    today = deadlines.local_date(now)
    return Q(is_open=True) & (
        Q(due_date__lt=today) | Q(status__in=waiting_statuses(), waiting_until__lt=now)
    )


def search_q(query: str) -> Q:
    """A case number (exact), an application reference (exact), or a name prefix."""
    query = " ".join(query.split())[:MAX_QUERY]
    number = CASE_NUMBER.match(query)
    if number:
        match = Q(sequence=int(number["sequence"]))
        if number["year"]:
            match &= Q(year=int(number["year"]))
        return match
    if APPLICATION_REFERENCE.match(query):
        return Q(application__reference=query.upper())
    prefix = query.lower()
    return Q(search_name__gte=prefix, search_name__lt=prefix + TOP, search_name__startswith=prefix)


def _before_q(cursor: Cursor) -> Q:
    """Rows after ``cursor`` in newest-first order (older). The redundant ``<=`` bound is
    what the index range scan uses; the OR only breaks ties on the same instant."""
    return Q(received_at__lte=cursor.received_at) & (
        Q(received_at__lt=cursor.received_at) | Q(id__lt=cursor.id)
    )


def _after_q(cursor: Cursor) -> Q:
    return Q(received_at__gte=cursor.received_at) & (
        Q(received_at__gt=cursor.received_at) | Q(id__gt=cursor.id)
    )


def inbox_queryset(
    user: Any,
    agency: Any,
    *,
    view: str,
    service: str | None = None,
    status: str | None = None,
    overdue: bool = False,
    query: str = "",
    include_closed: bool = False,
) -> QuerySet[Case]:
    """The filtered cases of one agency the user works for (unordered, unpaginated)."""
    agency_id = getattr(agency, "pk", agency)
    cases = selectors.cases_for_staff(user).filter(agency_id=agency_id)
    if view == "mine":
        cases = cases.filter(assignee_id=user.pk)
    elif view == "unassigned":
        cases = cases.filter(assignee__isnull=True)
    elif view != "all":
        raise ValueError(f"unknown inbox view {view!r}")
    if service:
        cases = cases.filter(service_id=service)
    if status:
        cases = cases.filter(status=status)
    if overdue:
        cases = cases.filter(overdue_q())
    elif not include_closed:
        cases = cases.filter(is_open=True)
    if query.strip():
        cases = cases.filter(search_q(query))
    return cases


def inbox_page(
    user: Any,
    agency: Any,
    *,
    view: str,
    service: str | None = None,
    status: str | None = None,
    overdue: bool = False,
    query: str = "",
    include_closed: bool = False,
    after: str | None = None,
    before: str | None = None,
    limit: int = PAGE_SIZE,
) -> InboxPage:
    """One page of the inbox: ``after`` (older than) or ``before`` (newer than) a cursor.

    One query on a tab's first page without filters (what a case worker opens): the page
    (limit + 1 rows, to know whether there is more) with each row's count of the citizen's
    unread messages. Elsewhere two: the page, then the counts for the rows shown (the
    counts' subquery would be compiled on every such page; the query of its own is compiled
    once per connection). The rows are plain values (:class:`InboxRow`), not Case
    instances. Raises InvalidCursor.
    """
    backwards = bool(before)
    # Decoded first: a cursor we did not make is InvalidCursor before anything is read.
    newer = Cursor.decode(before) if before else None
    older = Cursor.decode(after) if after and not before else None
    # Only the columns a row shows (each column read is converted per row: on SQLite a
    # timestamp is parsed from text), as plain values. Whose cases they are is known for
    # two tabs: the join only for "all".
    names = [*ROW_COLUMNS, *(ASSIGNEE_FIELDS if view == "all" else ())]

    def listed(using: str | None = None, counted: bool = False) -> QuerySet[Any]:
        cases = inbox_queryset(
            user,
            agency,
            view=view,
            service=service,
            status=status,
            overdue=overdue,
            query=query,
            include_closed=include_closed,
        )
        if using is not None:
            cases = cases.using(using)
        if counted:
            cases = cases.annotate(
                unread_messages=unread_count_of(user, OuterRef("thread_id"), side_of_reader=STAFF)
            )
        # Last, the unread count; elsewhere the thread's id, for the counts of its own.
        columns = [*names, "unread_messages" if counted else "thread_id"]
        if newer is not None:
            cases = cases.filter(_after_q(newer)).order_by("received_at", "id")
        else:
            if older is not None:
                cases = cases.filter(_before_q(older))
            cases = cases.order_by("-received_at", "-id")
        return cases.values_list(*columns)[: limit + 1]

    agencies = case_agency_ids(user)
    counted = bool(agencies) and not (
        service or status or overdue or query.strip() or after or before
    )
    if counted:
        # A tab's first page without filters (what a case worker opens): compiled once per
        # connection. Its parameters in the SQL's order: the unread count's (the reader,
        # the citizen's side), the user's agencies (cases_for_staff), this agency, and on
        # "Mine saker" the user.
        agency_id = getattr(agency, "pk", agency)
        mine = [user.pk] if view == "mine" else []
        params = [user.pk, *OTHER_SIDES[STAFF], *agencies, agency_id, *mine]
        found: list[Any] = compiled_rows.values(
            Case,
            ("cases.inbox_page", view, include_closed, len(agencies), limit),
            lambda using: listed(using, counted=True),
            lambda connection: params,
        )
    else:
        found = list(listed())
    more = len(found) > limit
    found = found[:limit]
    if backwards:
        found.reverse()
    width = len(ROW_COLUMNS)  # the row's own columns; then the assignee's names on "all"
    unread: dict[Any, int] = {}
    if not counted:
        thread_ids = [row[-1] for row in found if row[-1]]
        if thread_ids:
            unread = unread_counts(user, thread_ids, side_of_reader=STAFF)
    page_rows = []
    assignees: dict[tuple[Any, ...], Assignee] = {}  # one per person on the page
    for row in found:
        if view == "mine":
            # The reader: every row is assigned to them.
            who: Any = user
        elif view == "all" and row[width + 2] is not None:
            person = tuple(row[width : width + 3])
            who = assignees.get(person)
            if who is None:
                who = assignees[person] = Assignee._make(person)
        else:
            who = None  # "unassigned", or no one on "all"
        # The count read with the row (0 without a thread), or read for the rows shown.
        count = row[-1] if counted else unread.get(row[-1], 0)
        page_rows.append(InboxRow._make((*row[:width], who, count)))
    page = InboxPage(rows=page_rows)
    if page_rows:
        older_exists = more if not backwards else True
        newer_exists = more if backwards else bool(after)
        if older_exists:
            page.next_cursor = Cursor.of(page_rows[-1]).encode()
        if newer_exists:
            page.previous_cursor = Cursor.of(page_rows[0]).encode()
    elif after or before:
        # An emptied page (cases closed meanwhile): offer the way back to the start.
        page.previous_cursor = None
    return page


def has_open_assigned(user: Any, agency: Any) -> bool:
    """Whether the user has any open case of the agency assigned (the default tab)."""
    agency_id = getattr(agency, "pk", agency)
    return (
        selectors.cases_for_staff(user)
        .filter(agency_id=agency_id, assignee_id=user.pk, is_open=True)
        .exists()
    )
