"""Applications (søknader): drafts and submitted, their attachments, and the hand-over record."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from iktipet.documents.filetypes import stored_upload_path
from iktipet.documents.models import StoredFile


def attachment_upload_path(instance: Attachment, filename: str) -> str:
    return stored_upload_path(instance, f"applications/{instance.application_id}")


def receipt_upload_path(instance: Application, filename: str) -> str:
    return f"applications/{instance.pk}/receipt-{uuid.uuid4().hex}.pdf"


class Application(models.Model):
    """One person's application for one service version, from first draft to submission."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("utkast")
        SUBMITTED = "submitted", _("sendt inn")

    class PartyKind(models.TextChoices):
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("virksomhet")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service_version = models.ForeignKey(
        "catalog.ServiceVersion",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("tjenesteversjon"),
    )
    service_id = models.CharField(_("tjeneste"), max_length=100, db_index=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("innsender"),
    )
    party_kind = models.CharField(
        _("søker er"), max_length=12, choices=PartyKind.choices, default=PartyKind.PERSON
    )
    # The organisation number when acting for an organisation; empty for a person, whom the
    # applicant identifies: a fødselsnummer is not kept in this table.
    party_identifier = models.CharField(_("søkers identifikator"), max_length=20, blank=True)
    party_name = models.CharField(_("søkers navn"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    current_step = models.CharField(_("gjeldende steg"), max_length=100, blank=True)
    # The hidden token of the start form: a second POST of the same form finds this draft.
    start_token = models.UUIDField(_("startnøkkel"), null=True, blank=True)
    reference = models.CharField(_("referanse"), max_length=20, unique=True, null=True, blank=True)
    fee_ore = models.PositiveBigIntegerField(_("gebyr (øre)"), default=0)
    # Labels and display values as the applicant saw them at submission (receipt, case worker).
    summary = models.JSONField(_("sammendrag"), default=dict, blank=True)
    receipt_pdf = models.FileField(_("kvittering (PDF)"), upload_to=receipt_upload_path, blank=True)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)
    submitted_at = models.DateTimeField(_("sendt inn"), null=True, blank=True)

    class Meta:
        verbose_name = _("søknad")
        verbose_name_plural = _("søknader")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "start_token"], name="application_unique_start_token"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (models.Q(reference__isnull=False) & models.Q(submitted_at__isnull=False)),
                name="application_submitted_has_reference",
            ),
        ]
        indexes = [
            models.Index(fields=["applicant", "status"], name="application_applicant_idx"),
            models.Index(
                fields=["party_kind", "party_identifier", "status"], name="application_party_idx"
            ),
            models.Index(fields=["status", "updated_at"], name="application_status_idx"),
        ]

    def __str__(self) -> str:
        return self.reference or f"{self.service_id} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Attachment(StoredFile):
    """An uploaded file, kept in private storage and only served through an access check."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    field_id = models.CharField(_("felt"), max_length=200)
    file = models.FileField(_("fil"), upload_to=attachment_upload_path)

    class Meta:
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["application", "field_id"], name="attachment_field_idx")]


class Received(models.Model):
    """The record that an application was handed over to its case destination."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="received"
    )
    received_at = models.DateTimeField(_("mottatt"), auto_now_add=True)
    destination = models.CharField(_("mottaker"), max_length=50, default="internal")
    #: What the destination reported: the case number and the page to follow it on.
    details = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        verbose_name = _("mottatt søknad")
        verbose_name_plural = _("mottatte søknader")

    def __str__(self) -> str:
        return f"{self.application} → {self.destination}"
