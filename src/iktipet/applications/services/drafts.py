"""Deleting drafts: the applicant's own, and those left too long."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from iktipet.applications.models import Application
from iktipet.core import audit

if TYPE_CHECKING:
    from iktipet.accounts.types import User


def delete_draft(application: Application, *, user: User) -> None:
    with transaction.atomic():
        deleted, _counts = Application.objects.filter(
            pk=application.pk, status=Application.Status.DRAFT
        ).delete()
        if deleted:
            audit.record(
                user,
                "applications.draft_deleted",
                ("applications.application", str(application.pk)),
            )


def delete_drafts_older_than(cutoff: datetime) -> int:
    """Delete drafts last saved before ``cutoff`` (their files go with them)."""
    count = 0
    stale = Application.objects.filter(status=Application.Status.DRAFT, updated_at__lt=cutoff)
    for pk in stale.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            # Re-checked per draft: one saved meanwhile is kept.
            deleted, _counts = Application.objects.filter(
                pk=pk, status=Application.Status.DRAFT, updated_at__lt=cutoff
            ).delete()
            count += 1 if deleted else 0
    if count:
        audit.record(None, "applications.drafts_expired", None, {"count": count})
    return count
