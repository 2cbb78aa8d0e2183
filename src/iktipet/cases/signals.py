"""Receivers of other apps' signals, connected by ``CasesConfig.ready`` through :func:`connect`.

A "case.decided" notification that messaging sent by email or SMS
(``messaging.signals.notification_sent``) counts as the decision reaching the party: § 29
counts the three weeks from then. The first delivery counts; opening the case on Min side
is the other way it reaches them. A letter queued for print is not a delivery (it has not
been posted yet), and messaging does not send the signal for one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import Resolver404, resolve
from django.utils import timezone

from iktipet.messaging.signals import notification_sent

DECIDED_EVENT = "case.decided"


def _case_id(notification: Any) -> uuid.UUID | None:
    """The case a notice is about, from its link to the applicant's case page."""
    try:
        match = resolve(notification.link_path or "")
    except Resolver404:
        return None
    if match.view_name != "cases:case":
        return None
    value = match.kwargs.get("case_id")
    return value if isinstance(value, uuid.UUID) else None


def decision_notice_sent(notification: Any) -> bool:
    """Mark the decision of the notice's case delivered; True when it was found."""
    from iktipet.cases.models import Decision
    from iktipet.cases.services import mark_decision_delivered

    if getattr(notification, "event", "") != DECIDED_EVENT:
        return False
    case_id = _case_id(notification)
    if case_id is None:
        return False
    decision = Decision.objects.select_related("case", "case__agency").filter(case_id=case_id)
    found = decision.first()
    if found is None:
        return False
    mark_decision_delivered(found, getattr(notification, "sent_at", None) or timezone.now())
    return True


def _on_notification_sent(sender: Any, notification: Any, **kwargs: Any) -> None:
    decision_notice_sent(notification)


def connect() -> None:
    notification_sent.connect(_on_notification_sent, dispatch_uid="cases.decision_notice_sent")
