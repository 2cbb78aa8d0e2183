"""Accessibility feedback becomes a message to the operator: kept, audited, emailed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from iktipet.core.audit import record
from iktipet.core.tasks import enqueue
from iktipet.portal.models import Feedback


def receive_feedback(*, actor: Any, name: str, email: str, message: str) -> Feedback:
    """Store the feedback; email it to IKTIPET_FEEDBACK_EMAIL (when set) once committed."""
    with transaction.atomic():
        feedback = Feedback.objects.create(name=name, email=email, message=message)
        # Only that it came: what was written stays in the feedback table, not the audit log.
        record(actor, "portal.feedback_received", feedback)
        if settings.FEEDBACK_EMAIL:
            from iktipet.portal.tasks import send_feedback_email

            enqueue(send_feedback_email, feedback.pk)
    return feedback
