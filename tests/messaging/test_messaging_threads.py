"""Threads and messages: validation before anything is stored, files checked by content,
unread markers in one query."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from iktipet.core.errors import ActionRefused
from iktipet.core.models import AuditEvent
from iktipet.messaging import selectors
from iktipet.messaging.models import Message, MessageAttachment, Thread, ThreadRead
from iktipet.messaging.services import (
    MAX_BODY_CHARS,
    mark_read,
    open_thread,
    post_message,
)
from support.messaging import exe_named_pdf, make_user, pdf, png


@pytest.fixture
def citizen(db):
    return make_user("citizen-kari", name=("Kari", "Nordmann-Test"))


@pytest.fixture
def worker(db):
    return make_user("staff-sara", kind="staff", name=("Sara", "Saksbehandler"))


def test_open_thread_is_idempotent(agencies, thread):
    again = open_thread(
        agency=agencies["naeringsetaten"],
        subject_type="cases.case",
        subject_id="case-1",
        title="Another title",
    )
    assert again.pk == thread.pk and again.title == thread.title
    assert Thread.objects.count() == 1
    assert AuditEvent.objects.filter(action="messaging.thread_opened").count() == 1


@pytest.mark.parametrize(
    ("body", "files", "key"),
    [
        ("", [], "body"),
        ("   \n\t ", [], "body"),
        ("x" * (MAX_BODY_CHARS + 1), [], "body"),
        ("Her er fakturaen", [exe_named_pdf()], "files"),
        ("For mange", [pdf(f"f{i}.pdf") for i in range(11)], "files"),
    ],
    ids=["empty", "whitespace", "too-long", "exe-named-pdf", "too-many-files"],
)
def test_a_rejected_message_stores_nothing(thread, citizen, body, files, key):
    with pytest.raises(ActionRefused) as caught:
        post_message(thread, author=citizen, side="citizen", body=body, files=files)
    assert set(caught.value.errors) == {key}
    assert caught.value.errors[key]
    assert not Message.objects.exists()
    assert not MessageAttachment.objects.exists()
    assert not ThreadRead.objects.exists()


def test_errors_are_translated(thread, citizen):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ActionRefused) as caught:
        post_message(thread, author=citizen, side="citizen", body="", files=[])
    assert caught.value.errors["body"] == "Write a message or attach a file."


def test_a_bad_file_is_named_in_the_error(thread, citizen):
    with pytest.raises(ActionRefused) as caught:
        post_message(thread, author=citizen, side="citizen", body="Hei", files=[exe_named_pdf()])
    assert caught.value.errors["files"].startswith("faktura.pdf: ")


def test_a_good_message_is_stored_with_its_attachments(thread, citizen):
    message = post_message(
        thread,
        author=citizen,
        side="citizen",
        body="  Her er det dere ba om.\n\nHilsen Kari  ",
        files=[pdf("søknad Kari.pdf"), png()],
        kind="answer",
    )
    assert message.body == "Her er det dere ba om.\n\nHilsen Kari"
    assert message.author_label == "Kari Nordmann-Test"
    files = list(message.attachments.order_by("original_name"))
    assert [(f.original_name, f.content_type) for f in files] == [
        ("bilde.png", "image/png"),
        ("søknad Kari.pdf", "application/pdf"),
    ]
    for attachment in files:
        assert "Kari" not in attachment.file.name and "bilde" not in attachment.file.name
        assert attachment.file.name.startswith(f"messaging/{thread.pk}/")
        assert len(attachment.sha256) == 64
    event = AuditEvent.objects.get(action="messaging.message_posted")
    assert event.details == {
        "thread": str(thread.pk),
        "side": "citizen",
        "kind": "answer",
        "files": 2,
    }
    # The sender has read their own message.
    assert ThreadRead.objects.get(thread=thread, user=citizen).last_read_at == message.created_at


def test_files_alone_are_a_message(thread, citizen):
    message = post_message(thread, author=citizen, side="citizen", body="", files=[pdf()])
    assert message.body == "" and message.attachments.count() == 1


def test_messages_of_reads_the_messages_with_their_attachments_in_one_statement(
    thread, citizen, worker, django_assert_num_queries
):
    first = post_message(thread, author=citizen, side="citizen", body="1", files=[pdf()])
    post_message(thread, author=worker, side="staff", body="2", author_label="Sara, Næringsetaten")
    third = post_message(thread, author=citizen, side="citizen", body="3", files=[pdf(), pdf()])
    with django_assert_num_queries(1):  # the attachments joined (issue 13)
        found = selectors.messages_of(thread)
        names = [[a.original_name for a in m.files] for m in found]
    assert [m.body for m in found] == ["1", "2", "3"]
    assert names == [["vedlegg.pdf"], [], ["vedlegg.pdf", "vedlegg.pdf"]]
    # Plain values (issue 13): what the thread shows of each message and file.
    assert [[(a.pk, a.size) for a in m.files] for m in found] == [
        [(a.pk, a.size) for a in first.attachments.all()],
        [],
        [(a.pk, a.size) for a in third.attachments.all()],
    ]
    assert found[1].author_label == "Sara, Næringsetaten"
    assert (found[0].pk, found[0].side, found[0].kind) == (first.pk, "citizen", "message")
    assert found[0].created_at == first.created_at
    assert found[1].get_side_display() == "saksbehandler"


def test_attachment_in_another_thread_is_404(agencies, thread, citizen):
    from django.http import Http404

    message = post_message(thread, author=citizen, side="citizen", body="x", files=[pdf()])
    attachment = message.attachments.get()
    other = open_thread(
        agency=agencies["naeringsetaten"], subject_type="cases.case", subject_id="2", title="2"
    )
    assert selectors.attachment_in_thread(thread, attachment.pk) == attachment
    for thread_, attachment_id in [(other, attachment.pk), (thread, "not-a-uuid")]:
        with pytest.raises(Http404):
            selectors.attachment_in_thread(thread_, attachment_id)


def test_serve_attachment_is_a_download(thread, citizen):
    from iktipet.messaging.attachments import serve_attachment

    message = post_message(thread, author=citizen, side="citizen", body="x", files=[pdf()])
    response = serve_attachment(message.attachments.get())
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def _backdate(message: Message, minutes: int) -> None:
    Message.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


def test_unread_counts_only_the_other_sides_messages_after_last_read(
    agencies, thread, citizen, worker, django_assert_num_queries
):
    other = open_thread(
        agency=agencies["naeringsetaten"], subject_type="cases.case", subject_id="2", title="2"
    )
    quiet = open_thread(
        agency=agencies["naeringsetaten"], subject_type="cases.case", subject_id="3", title="3"
    )
    post_message(
        thread, author=worker, side="staff", body="Vi trenger mer", kind="information_request"
    )
    post_message(thread, author=None, side="system", body="Saken er mottatt", kind="system")
    post_message(thread, author=citizen, side="citizen", body="Her")  # her own: not unread
    post_message(other, author=worker, side="staff", body="Hei")
    ids = [thread.pk, other.pk, quiet.pk]
    # Posting moved Kari's read marker in `thread` to her own message: only later ones count.
    with django_assert_num_queries(1):
        counts = selectors.unread_counts(citizen, ids, side_of_reader="citizen")
    assert counts == {thread.pk: 0, other.pk: 1, quiet.pk: 0}

    mark_read(other, citizen)
    assert selectors.unread_counts(citizen, ids, side_of_reader="citizen")[other.pk] == 0
    later = post_message(other, author=worker, side="staff", body="En til")
    assert selectors.unread_counts(citizen, ids, side_of_reader="citizen")[other.pk] == 1
    _backdate(later, 60)  # written before she read: no longer new
    assert selectors.unread_counts(citizen, ids, side_of_reader="citizen")[other.pk] == 0

    # The case worker sees the citizen's message (not the system note, not staff's own).
    with django_assert_num_queries(1):
        staff_counts = selectors.unread_counts(
            worker, [str(i) for i in ids], side_of_reader="staff"
        )
    assert staff_counts == {thread.pk: 1, other.pk: 0, quiet.pk: 0}
    mark_read(thread, worker)
    assert selectors.unread_counts(worker, ids, side_of_reader="staff")[thread.pk] == 0


def test_unread_counts_for_a_reader_who_never_opened_the_thread(thread, citizen, worker):
    post_message(thread, author=worker, side="staff", body="1")
    post_message(thread, author=worker, side="staff", body="2")
    assert selectors.unread_counts(citizen, [thread.pk], side_of_reader="citizen") == {thread.pk: 2}
    assert selectors.unread_counts(citizen, [], side_of_reader="citizen") == {}


def _grouped_unread_counts(user, ids, others):
    """The counts as the ORM's grouped query computed them before they were read as rows
    (issue 13): the reference the compiled read is checked against."""
    from django.db.models import Count, F, OuterRef, Q, Subquery

    user_id = user.pk if user.is_authenticated else 0
    last_read = ThreadRead.objects.filter(thread_id=OuterRef("thread_id"), user_id=user_id).values(
        "last_read_at"
    )[:1]
    grouped = (
        Message.objects.filter(thread_id__in=ids, side__in=others)
        .annotate(last_read=Subquery(last_read))
        .filter(Q(last_read__isnull=True) | Q(created_at__gt=F("last_read")))
        .order_by()
        .values("thread_id")
        .annotate(unread=Count("id"))
    )
    counts = dict.fromkeys(ids, 0)
    counts.update({row["thread_id"]: row["unread"] for row in grouped})
    return counts


def test_unread_counts_match_the_grouped_query(agencies, citizen, worker):
    """Threads in every state (no messages, read, partly read, never opened, each side's
    messages, the reader's own): the compiled read counts what the ORM's GROUP BY counted,
    for both sides, an anonymous reader and one or several threads."""
    from django.contrib.auth.models import AnonymousUser

    agency = agencies["naeringsetaten"]
    threads = [
        open_thread(agency=agency, subject_type="cases.case", subject_id=str(n), title=str(n))
        for n in range(5)
    ]
    for index, thread in enumerate(threads):
        for number in range(index):
            post_message(thread, author=worker, side="staff", body=f"s{number}")
            post_message(thread, author=citizen, side="citizen", body=f"c{number}")
            if number == 1:
                post_message(thread, author=None, side="system", body="note", kind="system")
        if index == 2:
            mark_read(thread, worker)
            mark_read(thread, citizen)
        if index == 3:
            _backdate(post_message(thread, author=citizen, side="citizen", body="old"), 60)
            mark_read(thread, worker)
            post_message(thread, author=citizen, side="citizen", body="new")
    ids = [thread.pk for thread in threads]
    readers = [(worker, "staff"), (citizen, "citizen"), (AnonymousUser(), "citizen")]
    counted = 0
    for reader, side in readers:
        for chosen in (ids, ids[3:4], ids[::-1]):
            expected = _grouped_unread_counts(reader, chosen, selectors.OTHER_SIDES[side])
            assert selectors.unread_counts(reader, chosen, side_of_reader=side) == expected
            counted += sum(expected.values())
    assert counted > 0  # the data has unread messages to count
