"""What every stored upload records (applications, messages, neighbours' replies)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from iktipet.documents.filetypes import download_name


class StoredFile(models.Model):
    """An uploaded file's record, filled by ``documents.uploads.store_upload``.

    Each concrete model adds its owner and its ``file`` field (with its own ``upload_to``:
    the stored name never contains the uploader's file name, which can hold personal data).
    """

    class ScanStatus(models.TextChoices):
        CLEAN = "clean", _("ingen virus funnet")
        NOT_SCANNED = "not_scanned", _("ikke skannet")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    original_name = models.CharField(_("filnavn"), max_length=255)
    content_type = models.CharField(_("filtype"), max_length=100)
    size = models.PositiveBigIntegerField(_("størrelse (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # Infected files and failed scans are refused at upload, so only these two are stored.
    scan_status = models.CharField(_("virusskanning"), max_length=12, choices=ScanStatus.choices)
    created_at = models.DateTimeField(_("lastet opp"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    @property
    def download_name(self) -> str:
        """The name a download gets: the original name with the detected type's extension."""
        return download_name(self.original_name, self.content_type)
