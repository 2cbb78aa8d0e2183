"""Deleting drafts: the applicant's own, and those left too long."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction

from iktipet.applications.engine.journey import is_plugin_step
from iktipet.applications.models import Application
from iktipet.catalog import plugins
from iktipet.core import audit

if TYPE_CHECKING:
    from iktipet.accounts.types import User


def delete_draft(application: Application, *, user: User) -> None:
    """Delete the person's draft. What its plugin steps hold (a booking step's slot) is let
    go in the same transaction, so the place is free again at once, not when the hold lapses.
    """
    steps = [s for s in application.service_version.form_model.steps if is_plugin_step(s)]
    with transaction.atomic():
        draft = Application.objects.filter(pk=application.pk, status=Application.Status.DRAFT)
        answers: dict[str, Any] = {}
        if steps:
            # The answers as they are now: another tab may have chosen another time.
            answers = draft.select_for_update().values_list("answers", flat=True).first() or {}
        deleted, _counts = draft.delete()
        if not deleted:
            return
        for step in steps:
            answer = answers.get(plugins.answer_key(step))
            plugin = plugins.plugin_for(step.kind)
            if answer is not None and plugin is not None:
                plugin.on_discard(step, answer, user=user)
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
