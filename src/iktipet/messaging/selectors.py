"""Reads of the messaging app. Threads are reached through the app that owns the subject
(cases), which checks access first; these functions take the thread it found."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import F, FilteredRelation, Func, IntegerField, Q, QuerySet, Subquery
from django.http import Http404

from iktipet.core import rows
from iktipet.core.ids import uuid_or_404
from iktipet.messaging.models import (
    Message,
    MessageAttachment,
    Notification,
    PrintLetter,
    Thread,
)

if TYPE_CHECKING:
    from iktipet.accounts.types import Viewer

#: Whose messages are "new" to a reader: a citizen reads the agency's and the system's,
#: a case worker reads the citizen's (system notes are the staff side's own doing).
OTHER_SIDES: dict[str, tuple[str, ...]] = {
    Message.Side.CITIZEN: (Message.Side.STAFF, Message.Side.SYSTEM),
    Message.Side.STAFF: (Message.Side.CITIZEN,),
}


#: ``messages_of``'s columns: what the thread shows of a message, then of its attachment
#: (None without one).
_MESSAGE_COLUMNS = ("id", "side", "kind", "author_label", "body", "created_at")
_FILE_COLUMNS = ("id", "original_name", "size")


class ThreadFile(NamedTuple):
    """An attachment as a thread shows it (``messages_of``): plain values, no instance."""

    id: uuid.UUID
    original_name: str
    size: int

    @property
    def pk(self) -> uuid.UUID:
        return self.id


class ThreadMessage(NamedTuple):
    """A message as a thread shows it (``messages_of``): plain values, no instance;
    ``files`` its attachments, oldest first."""

    id: uuid.UUID
    side: str
    kind: str
    author_label: str
    body: str
    created_at: Any
    files: list[ThreadFile]

    @property
    def pk(self) -> uuid.UUID:
        return self.id

    def get_side_display(self) -> str:
        """The side's label in the active language, as ``Message.get_side_display``."""
        return str(dict(Message.Side.choices).get(self.side, self.side))


def messages_of(thread: Thread) -> list[ThreadMessage]:
    """The thread's messages, oldest first, each with its attachments as ``files`` (a list,
    oldest first), as plain values (:class:`ThreadMessage`, :class:`ThreadFile`): the
    columns the thread shows, no model instances. One statement, the attachments LEFT
    JOINed (a message with two files is two rows), compiled once per connection
    (``core.rows``): the case pages read them on every view, and building them (a prefetch
    builds a query per use) cost ~0.8 ms of CPU against ~0.05 ms to run them; the second
    statement for the files ~0.15 ms on PostgreSQL; a Message instance per row another
    ~20 µs (issue 13)."""
    thread_id = thread.pk

    def params(connection: Any) -> list[Any]:
        return [Message._meta.get_field("thread").get_db_prep_value(thread_id, connection)]

    found = rows.values(
        Message,
        "messaging.messages_of",
        lambda using: (
            Message.objects.using(using)
            .filter(thread_id=thread_id)
            .order_by("created_at", "id", "attachments__created_at")
            .values_list(
                *_MESSAGE_COLUMNS,
                *(f"attachments__{name}" for name in _FILE_COLUMNS),
            )
        ),
        params,
    )
    messages: list[ThreadMessage] = []
    files: list[ThreadFile] = []
    last = None
    for pk, side, kind, label, body, created, file_id, name, size in found:
        if pk != last:
            last, files = pk, []
            messages.append(ThreadMessage(pk, side, kind, label, body, created, files))
        if file_id is not None:  # none for a message without files
            files.append(ThreadFile(file_id, name, size))
    return messages


def _unread(
    messages: QuerySet[Message], user_id: Any, others: tuple[str, ...]
) -> QuerySet[Message]:
    """``messages`` by the other side that the reader has not read: after the reader's own
    marker of each message's thread (a LEFT JOIN: none yet, None, and every one is new)."""
    return (
        messages.filter(side__in=others)
        .annotate(
            mine=FilteredRelation("thread__reads", condition=Q(thread__reads__user_id=user_id))
        )
        .filter(Q(mine__last_read_at__isnull=True) | Q(created_at__gt=F("mine__last_read_at")))
    )


def unread_count_of(user: Viewer, thread: Any, *, side_of_reader: str) -> Subquery:
    """``unread_counts`` as an expression of a query that lists the threads' owners:
    ``thread`` is its thread id (``OuterRef("thread_id")``), the value the number of new
    messages (0 without a thread). The inbox reads its page and the counts in one statement
    this way, compiled once per connection (core.rows; issue 13)."""
    others = OTHER_SIDES.get(side_of_reader)
    if others is None:
        raise ValueError(f"Unknown reader side {side_of_reader!r}.")
    user_id = user.pk if user.is_authenticated else 0
    counted = (
        _unread(Message.objects.filter(thread_id=thread), user_id, others)
        .order_by()
        .annotate(unread=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("unread")
    )
    return Subquery(counted, output_field=IntegerField())


def unread_counts(
    user: Viewer, thread_ids: Iterable[Any], *, side_of_reader: str
) -> dict[uuid.UUID, int]:
    """Per thread, messages by the other side after the reader last read it; one query.

    Every id asked for is in the result (0 when nothing is new). The unread messages are
    read as plain rows (their thread's id) and counted here, as ``thread_overview`` does:
    a query without aggregates is compiled once per connection (``core.rows``), where the
    grouped query with its ``Subquery`` was built and compiled on every inbox (~1 ms of
    CPU, a third of the page; issue 13). An inbox page shows 25 threads with a few new
    messages each.
    """
    ids = [uuid_or_404(value) for value in thread_ids]
    counts = dict.fromkeys(ids, 0)
    if not ids:
        return counts
    others = OTHER_SIDES.get(side_of_reader)
    if others is None:
        raise ValueError(f"Unknown reader side {side_of_reader!r}.")
    # Anonymous: no marker matches, so every message of the other side counts as new.
    user_id = user.pk if user.is_authenticated else 0
    field = Message._meta.get_field("thread")

    def params(connection: Any) -> list[Any]:
        # The SQL's order: the marker's join condition, the threads, the sides.
        threads = [field.get_db_prep_value(value, connection) for value in ids]
        return [user_id, *threads, *others]

    found = rows.values(
        Message,
        ("messaging.unread_counts", side_of_reader, len(ids)),
        lambda using: (
            _unread(Message.objects.using(using).filter(thread_id__in=ids), user_id, others)
            .order_by()
            .values_list("thread_id")
        ),
        params,
    )
    for (thread_id,) in found:
        counts[thread_id] += 1
    return counts


def thread_overview(
    user: Viewer, thread_ids: Iterable[Any], *, side_of_reader: str
) -> dict[uuid.UUID, dict[str, Any]]:
    """Per thread that has messages: ``count``, ``latest`` (when the last was written) and
    ``unread`` (as ``unread_counts`` counts them), in one query for a page that shows both
    (Min side's cases and messages).

    The messages are read as plain rows, each with the reader's marker of its thread, and
    counted here: a query without aggregates can be compiled once per connection
    (``core.rows``), where building and compiling the grouped query cost ~0.9 ms of CPU on
    every Min side (issue 13). A thread's messages are few; counting them costs ~1 µs each.
    """
    ids = [uuid_or_404(value) for value in thread_ids]
    others = OTHER_SIDES.get(side_of_reader)
    if others is None:
        raise ValueError(f"Unknown reader side {side_of_reader!r}.")
    if not ids:
        return {}
    user_id = user.pk if user.is_authenticated else 0
    field = Message._meta.get_field("thread")

    def params(connection: Any) -> list[Any]:
        return [user_id, *(field.get_db_prep_value(value, connection) for value in ids)]

    found = rows.values(
        Message,
        ("messaging.thread_overview", len(ids)),
        lambda using: (
            Message.objects.using(using)
            .filter(thread_id__in=ids)
            # The reader's own marker of each message's thread (a LEFT JOIN: none yet, None).
            .annotate(
                mine=FilteredRelation("thread__reads", condition=Q(thread__reads__user_id=user_id))
            )
            .order_by()
            .values_list("thread_id", "side", "created_at", "mine__last_read_at")
        ),
        params,
    )
    overview: dict[uuid.UUID, dict[str, Any]] = {}
    for thread_id, side, created_at, last_read in found:
        entry = overview.get(thread_id)
        if entry is None:
            entry = overview[thread_id] = {"count": 0, "latest": created_at, "unread": 0}
        entry["count"] += 1
        if created_at > entry["latest"]:
            entry["latest"] = created_at
        if side in others and (last_read is None or created_at > last_read):
            entry["unread"] += 1
    return overview


def attachment_in_thread(thread: Thread, attachment_id: Any) -> MessageAttachment:
    """The attachment if it belongs to a message in ``thread``; Http404 otherwise."""
    found = (
        MessageAttachment.objects.filter(pk=uuid_or_404(attachment_id), message__thread=thread)
        .select_related("message")
        .first()
    )
    if found is None:
        raise Http404
    return found


def print_letters_for_agencies(
    agency_ids: Iterable[int], status: str | None = None
) -> QuerySet[PrintLetter]:
    """Letters of these agencies (the caller passes the agencies the actor works for)."""
    queryset = PrintLetter.objects.filter(agency_id__in=list(agency_ids)).select_related("agency")
    if status is not None:
        queryset = queryset.filter(status=status)
    return queryset.order_by("created_at")


def print_letter_for_agencies(agency_ids: Iterable[int], letter_id: Any) -> PrintLetter:
    """One letter if it belongs to one of these agencies; Http404 otherwise."""
    found = print_letters_for_agencies(agency_ids).filter(pk=uuid_or_404(letter_id)).first()
    if found is None:
        raise Http404
    return found


def notifications_for(*, pid_hash: str = "", user: Viewer | None = None) -> QuerySet[Notification]:
    """A person's notifications, newest first, for operators (``pid_lookup_hash(pid)``)."""
    if not pid_hash and user is None:
        return Notification.objects.none()
    match = Q(pk__in=[])
    if pid_hash:
        match |= Q(recipient_pid_hash=pid_hash)
    if user is not None:
        match |= Q(recipient_user=user)
    return (
        Notification.objects.filter(match)
        .prefetch_related("delivery_attempts")
        .order_by("-created_at")
    )
