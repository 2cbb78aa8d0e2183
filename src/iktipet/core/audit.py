"""The one function that writes the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models

from iktipet.core.context import current_request_id
from iktipet.core.models import AuditEvent


def _label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "anonymous"
    return str(getattr(actor, "audit_label", None) or actor.get_username())


def record(
    actor: Any,
    action: str,
    target: models.Model | tuple[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append ``(actor, action, target, details)`` to the audit log.

    ``target`` is a model instance or a ``(type, id)`` pair. Never put a fødselsnummer in
    ``details``: the audit log is read by operators.
    """
    if isinstance(target, models.Model):
        target_type, target_id = target._meta.label_lower, str(target.pk)
    elif target is not None:
        target_type, target_id = target
    else:
        target_type, target_id = "", ""
    user = (
        actor if getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None) else None
    )
    return AuditEvent.objects.create(
        actor=user,
        actor_label=_label(actor),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        details=details or {},
        request_id=current_request_id() or "",
    )
