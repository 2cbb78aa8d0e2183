"""Writes of the messaging app: one transactional function per action, each audited."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iktipet.accounts import pid as pid_crypto
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.core.forms import disallowed_text_error
from iktipet.core.identifiers import validate_fodselsnummer
from iktipet.core.models import Agency
from iktipet.core.tasks import enqueue
from iktipet.messaging import attachments, events, generated, tasks
from iktipet.messaging.masking import mask_email
from iktipet.messaging.models import Message, Notification, PrintLetter, Thread, ThreadRead

if TYPE_CHECKING:
    from iktipet.accounts.types import User

MAX_BODY_CHARS = 10_000
MAX_FILES = 10


def open_thread(*, agency: Agency, subject_type: str, subject_id: str, title: str) -> Thread:
    """The thread about ``(subject_type, subject_id)``, created on first use."""
    with transaction.atomic():
        thread, created = Thread.objects.get_or_create(
            subject_type=subject_type,
            subject_id=str(subject_id),
            defaults={"agency": agency, "title": title[:200]},
        )
        if created:
            audit.record(None, "messaging.thread_opened", thread, {"subject_type": subject_type})
    return thread


def open_new_thread(*, agency: Agency, subject_type: str, subject_id: str, title: str) -> Thread:
    """The thread of a subject created in the caller's transaction (a case being opened).

    No look-up and no savepoint (``open_thread`` costs five more statements): the subject is
    new, so no thread can exist for it; the unique constraint still refuses a second one.
    """
    thread = Thread.objects.create(
        agency=agency, subject_type=subject_type, subject_id=str(subject_id), title=title[:200]
    )
    audit.append(None, "messaging.thread_opened", thread, {"subject_type": subject_type})
    return thread


def _validate(body: str, files: Sequence[UploadedFile]) -> tuple[str, list[Any]]:
    """The stripped body and the checked files, or ActionRefused with every problem by
    form field ("body", "files")."""
    errors: dict[str, str] = {}
    text = (body or "").strip()
    refused = disallowed_text_error(body)
    if refused:
        errors["body"] = refused
    elif not text and not files:
        errors["body"] = _("Skriv en melding eller legg ved en fil.")
    elif len(text) > MAX_BODY_CHARS:
        errors["body"] = _(
            "Meldingen kan være på høyst %(limit)s tegn. Nå er den på %(count)s tegn."
        ) % {"limit": f"{MAX_BODY_CHARS:,}".replace(",", " "), "count": len(text)}
    checked: list[Any] = []
    if len(files) > MAX_FILES:
        errors["files"] = _("Du kan legge ved høyst %(count)d filer i én melding.") % {
            "count": MAX_FILES
        }
    elif files:
        checked, file_errors = attachments.check_files(files)
        if file_errors:
            errors["files"] = " ".join(file_errors)
    if errors:
        raise ActionRefused(errors)
    return text, checked


def post_message(
    thread: Thread,
    *,
    author: Any,
    side: str,
    body: str,
    files: Sequence[UploadedFile] = (),
    kind: str = Message.Kind.MESSAGE,
    author_label: str = "",
) -> Message:
    """Store a message with its files; the caller already checked the author may write.

    Validation (and the virus scan) runs before the transaction, so a rejected message
    stores nothing and the view re-renders the form with what the person typed.
    """
    if side not in Message.Side.values or kind not in Message.Kind.values:
        raise ValueError(f"Unknown message side {side!r} or kind {kind!r}.")
    files = list(files)
    text, checked = _validate(body, files)
    author = author if getattr(author, "is_authenticated", False) else None
    label = author_label or (author.display_name if author is not None else "")
    with transaction.atomic():
        message = Message.objects.create(
            thread=thread, side=side, kind=kind, author=author, author_label=label[:200], body=text
        )
        for uploaded, result in zip(files, checked, strict=True):
            attachments.keep(message, uploaded, result)
        if author is not None:
            _read_until(thread, author, message.created_at)
        audit.record(
            author,
            "messaging.message_posted",
            message,
            {"thread": str(thread.pk), "side": side, "kind": kind, "files": len(checked)},
        )
    return message


def _read_until(thread: Thread, user: User, moment: Any) -> None:
    # One UPDATE on every page view; the INSERT only the first time (update_or_create would
    # be a transaction with a SELECT … FOR UPDATE and an UPDATE: four statements).
    if ThreadRead.objects.filter(thread=thread, user=user).update(last_read_at=moment):
        return
    try:
        with transaction.atomic():
            ThreadRead.objects.create(thread=thread, user=user, last_read_at=moment)
    except IntegrityError:  # another request of the same user made it meanwhile
        ThreadRead.objects.filter(thread=thread, user=user).update(last_read_at=moment)


def mark_read(thread: Thread, user: User, *, until: Any = None) -> None:
    """The user has seen every message in the thread up to now (or up to ``until``: the
    newest message a page showed, so one written after the page read the thread stays new).

    Not audited: it only moves an unread marker, on every page view. Reading a case is
    audited by the app that shows it (cases).
    """
    if not getattr(user, "is_authenticated", False):
        return
    _read_until(thread, user, until or timezone.now())


def _recipient_label(pid: str | None, user: User | None) -> str:
    if pid:
        return pid_crypto.mask(pid)
    if user is not None and user.email:
        return mask_email(user.email)
    return str(getattr(user, "audit_label", "") or "")


def notify(
    *,
    event: str,
    pid: str | None = None,
    user: User | None = None,
    agency: Agency | None = None,
    link_path: str,
    context: dict[str, Any] | None = None,
    language: str | None = None,
    attachment: str = "",
    now: bool = False,
) -> Notification:
    """Record a notice to a person and enqueue its sending in the caller's transaction.

    ``pid`` (a fødselsnummer) may belong to someone who never logged in, a neighbour say;
    the worker asks the contact register how to reach them. Without a pid, ``user``'s
    email is used. ``context`` holds only non-personal values (:data:`events.CONTEXT_KEYS`).
    ``attachment`` is a :func:`generated.reference` to a file made when the email is sent.

    ``now`` (for a worker task, outside a transaction): the notice is written and its first
    attempt made here, not by a task of its own, whose claim-run-finish cycle cost the
    worker more than the notice itself (bench/README.md). As reliable: the row is committed
    already claimed for that attempt (``attempts`` 1, due now), a failed attempt enqueues
    its retry, and one left pending by a worker that died before the outcome is sent again
    by :func:`tasks.send_stalled`.
    """
    if event not in events.EVENTS:
        raise ValueError(f"Unknown notification event {event!r}.")
    if not pid and user is None:
        raise ValueError("notify() needs a pid or a user.")
    if pid:
        pid = validate_fodselsnummer(pid, allow_synthetic=settings.ALLOW_SYNTHETIC_IDS)
    cleaned = events.clean_context(context)
    if attachment:
        attachment = generated.check_reference(attachment)
    link_path = events.check_link_path(link_path)
    if language and language not in events.LANGUAGES:
        raise ValueError(f"Unsupported notification language {language!r}.")
    notification = Notification(
        event=event,
        recipient_user=user,
        recipient_pid_hash=pid_crypto.pid_lookup_hash(pid) if pid else "",
        recipient_pid_encrypted=pid_crypto.encrypt_pid(pid) if pid else "",
        recipient_label=_recipient_label(pid, user),
        language=language or "",
        link_path=link_path,
        agency=agency,
        context=cleaned,
        attachment=attachment,
        attempts=1 if now else 0,
        retry_at=timezone.now(),
    )
    if now:
        notification.save(force_insert=True)
        tasks.attempt(notification)
        return notification
    # Everything is checked above: no savepoint inside the caller's transaction (a submit,
    # a decision), whose rollback is ours.
    # No audit row either: the notification row and its delivery attempts are the record.
    with transaction.atomic(savepoint=False):
        notification.save(force_insert=True)
        # The database task backend writes this row in our transaction: an outbox.
        enqueue(tasks.send_notification, str(notification.pk))
    return notification


def can_handle_letters(user: User, agency: Agency) -> bool:
    from iktipet.accounts.roles import AGENCY_ROLES, OPERATOR, has_role

    if getattr(user, "is_superuser", False):
        return True
    return has_role(user, AGENCY_ROLES, agency=agency) or has_role(user, OPERATOR)


def mark_letter_printed(letter: PrintLetter, *, user: User) -> PrintLetter:
    """The letter was printed and posted. Idempotent: a second call changes nothing."""
    if not can_handle_letters(user, letter.agency):
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        # A conditional update: two people pressing the button at once record it once.
        changed = PrintLetter.objects.filter(pk=letter.pk, status=PrintLetter.Status.QUEUED).update(
            status=PrintLetter.Status.PRINTED, printed_at=now, printed_by=user
        )
        if changed:
            audit.record(user, "messaging.letter_printed", letter, {"agency": letter.agency.slug})
    letter.refresh_from_db()
    return letter
