"""Neighbour notices (nabovarsel, pbl. § 21-3), the neighbours' replies and the summary PDF."""

from __future__ import annotations

import builtins
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iktipet.documents.filetypes import stored_upload_path
from iktipet.documents.models import StoredFile


def reply_attachment_upload_path(instance: NeighbourReplyAttachment, filename: str) -> str:
    return stored_upload_path(instance, f"nabovarsel/{instance.notice.case_id}")


def summary_upload_path(instance: NoticeSummary, filename: str) -> str:
    return f"nabovarsel/{instance.case_id}/oppsummering-{uuid.uuid4().hex}.pdf"


class NeighbourNotice(models.Model):
    """The notice of one case to one neighbour: an owner (hjemmelshaver) of one or more
    adjoining properties. ``property`` and ``address`` hold the first of them, in matrikkel
    order; ``further_properties`` the others, so the neighbour gets one notice, answers
    once, and the reply and the summary list every property.

    A person is found by ``pid_hash`` (the fødselsnummer is kept only encrypted, for the
    notification worker); an organisation by its ``orgnr``. A row of the applicant's list
    that names no property in the register has neither: it is delivered on paper.
    """

    class OwnerKind(models.TextChoices):
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("virksomhet")

    class Delivery(models.TextChoices):
        DIGITAL = "digital", _("digitalt")
        LETTER = "letter", _("brev")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="neighbour_notices"
    )
    property = models.CharField(_("naboeiendom"), max_length=40, blank=True)
    relation = models.CharField(_("nabo som"), max_length=20, default="owner")
    name = models.CharField(_("navn"), max_length=200)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    #: The neighbour's other adjoining properties: ``[{"property": ..., "address": ...}]``.
    further_properties = models.JSONField(_("flere naboeiendommer"), default=list, blank=True)
    owner_kind = models.CharField(
        _("eier er"), max_length=12, choices=OwnerKind.choices, default=OwnerKind.PERSON
    )
    pid_hash = models.CharField(_("oppslagsnøkkel"), max_length=64, blank=True, editable=False)
    pid_encrypted = models.CharField(
        _("kryptert fødselsnummer"), max_length=200, blank=True, editable=False
    )
    orgnr = models.CharField(_("organisasjonsnummer"), max_length=9, blank=True)
    #: False for a row of the applicant's list the property register could not confirm.
    in_register = models.BooleanField(_("funnet i eiendomsregisteret"), default=True)
    sent_at = models.DateTimeField(_("sendt"))
    deadline = models.DateTimeField(_("svarfrist"))
    opened_at = models.DateTimeField(_("åpnet"), null=True, blank=True)
    replied_at = models.DateTimeField(_("svart"), null=True, blank=True)
    consent = models.BooleanField(_("samtykker"), null=True, blank=True)
    remark = models.TextField(_("merknad"), blank=True)
    delivery = models.CharField(
        _("sendt som"), max_length=10, choices=Delivery.choices, default=Delivery.DIGITAL
    )
    notification = models.ForeignKey(
        "messaging.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("varsling"),
    )

    class Meta:
        verbose_name = _("nabovarsel")
        verbose_name_plural = _("nabovarsler")
        ordering = ["property", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "pid_hash"],
                condition=~Q(pid_hash=""),
                name="notice_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["case", "orgnr"],
                condition=~Q(orgnr=""),
                name="notice_once_per_organisation",
            ),
        ]
        indexes = [
            models.Index(
                fields=["pid_hash", "-sent_at"],
                condition=~Q(pid_hash=""),
                name="notice_person",
            ),
            models.Index(
                fields=["orgnr", "-sent_at"], condition=~Q(orgnr=""), name="notice_organisation"
            ),
            models.Index(fields=["case", "deadline"], name="notice_case_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.property}"

    @builtins.property  # the field ``property`` shadows the builtin here
    def properties(self) -> list[dict[str, str]]:
        """Every adjoining property of this neighbour: ``{"property", "address"}`` each."""
        first = [{"property": self.property, "address": self.address}]
        further = [
            {"property": str(item.get("property") or ""), "address": str(item.get("address") or "")}
            for item in self.further_properties or []
            if isinstance(item, dict)
        ]
        return first + further

    @builtins.property  # the field ``property`` shadows the builtin here
    def properties_text(self) -> str:
        """The matrikkel numbers, comma separated ("" when the applicant named none)."""
        return ", ".join(item["property"] for item in self.properties if item["property"])

    @builtins.property  # the field ``property`` shadows the builtin here
    def answered(self) -> bool:
        return self.replied_at is not None

    @builtins.property  # the field ``property`` shadows the builtin here
    def by_post_or_hand(self) -> bool:
        """The applicant must deliver this notice themself (post or by hand, with receipt):
        an organisation (no digital channel here) or someone the register did not know."""
        return self.owner_kind == self.OwnerKind.ORGANISATION or not self.in_register

    @builtins.property  # the field ``property`` shadows the builtin here
    def delivery_now(self) -> str:
        """How the notice went out: the notification worker may have turned a digital
        notice into a printed letter (reserved in the contact register, stale contact)."""
        from iktipet.messaging.models import Notification

        if (
            self.notification is not None
            and self.notification.status == Notification.Status.PRINT_QUEUED
        ):
            return self.Delivery.LETTER
        return self.delivery

    def get_delivery_now_display(self) -> str:
        return str(self.Delivery(self.delivery_now).label)


class NeighbourReplyAttachment(StoredFile):
    """A file a neighbour sent with their reply; private, served only after a check."""

    notice = models.ForeignKey(
        NeighbourNotice, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("fil"), upload_to=reply_attachment_upload_path)

    class Meta:
        verbose_name = _("vedlegg til merknad")
        verbose_name_plural = _("vedlegg til merknader")
        ordering = ["created_at", "id"]


class NoticeSummary(models.Model):
    """After the deadline: the notice, the receipt list and every remark as one PDF/A."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="neighbour_notice_summary"
    )
    pdf = models.FileField(_("oppsummering (PDF)"), upload_to=summary_upload_path)
    created_at = models.DateTimeField(_("laget"), auto_now_add=True)

    class Meta:
        verbose_name = _("oppsummering av nabovarsel")
        verbose_name_plural = _("oppsummeringer av nabovarsel")

    def __str__(self) -> str:
        return str(self.case_id)
