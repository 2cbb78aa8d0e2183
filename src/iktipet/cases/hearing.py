"""Whether the hearing bodies have been heard (alkoholloven § 1-7).

A body is heard when it has answered, or when the workflow's ``hearing_answer_days`` have
passed since it was asked: silence after the deadline counts as having had the chance.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from iktipet.cases.models import Case
from iktipet.cases.workflow import get_workflow


def unheard_bodies(case: Case, now: dt.datetime | None = None) -> list[str]:
    """The names of the workflow's hearing bodies not yet heard (never asked, or asked and
    neither answered nor past their deadline), in the workflow's order."""
    workflow = get_workflow(case.workflow)
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=workflow.hearing_answer_days)
    asked = {hearing.body: hearing for hearing in case.hearings.all()}
    missing = []
    for body in workflow.hearing_bodies:
        hearing = asked.get(body.id)
        if hearing is None or (hearing.answered_at is None and hearing.sent_at > cutoff):
            missing.append(body.label.get())
    return missing


def asked_and_unheard(case: Case, now: dt.datetime | None = None) -> bool:
    """Some body asked in this case has neither answered nor let its deadline pass."""
    workflow = get_workflow(case.workflow)
    cutoff = (now or timezone.now()) - dt.timedelta(days=workflow.hearing_answer_days)
    return case.hearings.filter(answered_at__isnull=True, sent_at__gt=cutoff).exists()
