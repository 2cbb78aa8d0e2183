"""Threads of messages about a subject, and notifications with their delivery attempts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from iktipet.documents.filetypes import stored_upload_path
from iktipet.documents.models import StoredFile


def message_attachment_upload_path(instance: MessageAttachment, filename: str) -> str:
    return stored_upload_path(instance, f"messaging/{instance.message.thread_id}")


class Thread(models.Model):
    """The conversation about one subject (``cases.case`` + its id): one thread per subject."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        related_name="threads",
        verbose_name=_("virksomhet"),
    )
    subject_type = models.CharField(_("gjelder (type)"), max_length=100)
    subject_id = models.CharField(_("gjelder (id)"), max_length=100)
    title = models.CharField(_("tittel"), max_length=200)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("meldingstråd")
        verbose_name_plural = _("meldingstråder")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"], name="thread_unique_subject"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    class Side(models.TextChoices):
        CITIZEN = "citizen", _("innbygger")
        STAFF = "staff", _("saksbehandler")
        SYSTEM = "system", _("system")

    class Kind(models.TextChoices):
        MESSAGE = "message", _("melding")
        INFORMATION_REQUEST = "information_request", _("anmodning om opplysninger")
        ANSWER = "answer", _("svar")
        SYSTEM = "system", _("systemmelding")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(_("avsender"), max_length=10, choices=Side.choices)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.MESSAGE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forfatter"),
    )
    # The name as shown when it was written ("Sara Saksbehandler, Næringsetaten"): people
    # change names and agencies, the thread must keep saying who wrote what.
    author_label = models.CharField(_("forfatter (tekst)"), max_length=200, blank=True)
    body = models.TextField(_("tekst"), blank=True)
    created_at = models.DateTimeField(_("skrevet"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldinger")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["thread", "created_at"], name="message_thread_time_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"


class MessageAttachment(StoredFile):
    """A file sent with a message; private storage, served only after the caller's check."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fil"), upload_to=message_attachment_upload_path)

    class Meta:
        verbose_name = _("vedlegg til melding")
        verbose_name_plural = _("vedlegg til meldinger")
        ordering = ["created_at"]


class ThreadRead(models.Model):
    """How far a user has read a thread (for unread markers)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField(_("sist lest"))

    class Meta:
        verbose_name = _("lest tråd")
        verbose_name_plural = _("leste tråder")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="thread_read_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.thread_id} / {self.user_id}"


class Notification(models.Model):
    """A notice to one person about an event; sent by the worker (email, SMS or letter).

    The recipient's fødselsnummer is never stored in clear text: the worker decrypts
    ``recipient_pid_encrypted`` to ask the contact register; operators find a person's
    notifications by ``recipient_pid_hash``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("venter")
        SENT = "sent", _("sendt")
        FAILED = "failed", _("feilet")
        PRINT_QUEUED = "print_queued", _("sendes som brev")
        NO_CHANNEL = "no_channel", _("ingen kanal")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.CharField(_("hendelse"), max_length=100, db_index=True)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mottaker (bruker)"),
    )
    recipient_pid_hash = models.CharField(
        _("mottakers oppslagsnøkkel"), max_length=64, blank=True, db_index=True
    )
    recipient_pid_encrypted = models.CharField(
        _("mottakers fødselsnummer (kryptert)"), max_length=200, blank=True, editable=False
    )
    recipient_label = models.CharField(_("mottaker"), max_length=200, blank=True)
    language = models.CharField(_("språk"), max_length=10, blank=True)
    link_path = models.CharField(_("lenke"), max_length=300)
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("virksomhet"),
    )
    context = models.JSONField(_("innhold"), default=dict, blank=True)
    # "<kind>:<key>" of a file made at send time (messaging.generated), e.g. the booking's
    # calendar file: a reference, so the queue holds no personal data.
    attachment = models.CharField(_("vedlegg (referanse)"), max_length=160, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    last_error = models.TextField(_("siste feil"), blank=True)
    # When the next attempt is due: on creation, or after a failure's backoff. A notice still
    # pending long after that lost its attempt (a worker died mid-way): tasks.send_stalled.
    retry_at = models.DateTimeField(_("neste forsøk"), null=True, blank=True)

    class Meta:
        verbose_name = _("varsel")
        verbose_name_plural = _("varsler")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["retry_at"],
                name="notification_pending_idx",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_label or '-'}"


class DeliveryAttempt(models.Model):
    """One try on one channel. ``to_masked`` only: an operator sees that, not the address."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-post")
        SMS = "sms", _("SMS")
        PRINT = "print", _("brev")
        # The contact register look-up before any channel: it fails too, and is retried.
        REGISTER = "register", _("oppslag i kontaktregisteret")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="delivery_attempts"
    )
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    to_masked = models.CharField(_("til"), max_length=100, blank=True)
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    ok = models.BooleanField(_("vellykket"), default=False)
    error = models.TextField(_("feil"), blank=True)

    class Meta:
        verbose_name = _("leveringsforsøk")
        verbose_name_plural = _("leveringsforsøk")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.channel} {'ok' if self.ok else 'feil'}"


class PrintLetter(models.Model):
    """A notice to print and post, for a person who may not be notified digitally."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("til utskrift")
        PRINTED = "printed", _("skrevet ut")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    notification = models.OneToOneField(
        Notification, on_delete=models.PROTECT, related_name="letter"
    )
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("virksomhet")
    )
    recipient_name = models.CharField(_("mottakers navn"), max_length=200, blank=True)
    address = models.TextField(_("adresse"), blank=True)
    # Protected (fortrolig) or unknown address: the letter goes through the population
    # register's own forwarding, never to an address we guess.
    address_unknown = models.BooleanField(_("adresse ukjent eller skjermet"), default=False)
    subject = models.CharField(_("emne"), max_length=200)
    body = models.TextField(_("tekst"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    printed_at = models.DateTimeField(_("skrevet ut"), null=True, blank=True)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skrevet ut av"),
    )

    class Meta:
        verbose_name = _("brev til utskrift")
        verbose_name_plural = _("brev til utskrift")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["agency", "status"], name="print_letter_queue_idx")]

    def __str__(self) -> str:
        return self.subject
