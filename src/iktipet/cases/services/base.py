"""What every case action shares: the actor check, the conditional move,
the timeline entry, the domain event and the applicant's notification."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from iktipet.cases import deadlines
from iktipet.cases.models import Case, CaseEvent
from iktipet.cases.permissions import applicant_may, staff_may, staff_roles_in
from iktipet.cases.workflow import Transition, Workflow, get_workflow
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.core.events import record_event
from iktipet.messaging import services as messaging
from iktipet.messaging.models import Thread

if TYPE_CHECKING:
    from iktipet.accounts.types import User

#: How long an applicant has to answer a request for more information, unless told.
INFORMATION_ANSWER_DAYS = 14
MAX_NOTE = 10_000


# --- helpers ----------------------------------------------------------------------------------


def actor_label(user: User | None, case: Case | None = None) -> str:
    if user is None:
        return _("Systemet")
    name = user.get_full_name() or user.get_username()
    if case is not None and getattr(user, "is_staff_member", False):
        return f"{name}, {case.agency.name}"
    return name


def _transition(workflow: Workflow, transition_id: str) -> Transition:
    found = workflow.transition(transition_id)
    if found is None:
        raise ActionRefused(_("Denne handlingen finnes ikke for saken."))
    return found


def _check_actor(
    case: Case, transition: Transition, user: User | None, *, as_applicant: bool
) -> None:
    if user is None:
        if "system" not in transition.roles:
            raise ActionRefused(_("Denne handlingen kan ikke utføres automatisk."))
        return
    if as_applicant:
        allowed = applicant_may(transition)
    else:
        allowed = staff_may(transition, staff_roles_in(user, case.agency_id))
    if not allowed:
        raise ActionRefused(_("Du har ikke tilgang til å utføre denne handlingen."))


def _event(
    case: Case,
    kind: str,
    user: User | None,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    details: dict[str, Any] | None = None,
    visible_to_applicant: bool = True,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=user if getattr(user, "pk", None) else None,
        actor_label=actor_label(user, case),
        from_status=from_status,
        to_status=to_status,
        note=note,
        details=details or {},
        visible_to_applicant=visible_to_applicant,
    )


def _domain_event(case: Case, kind: str, data: dict[str, Any] | None = None) -> None:
    record_event(
        f"case.{kind}",
        subject=f"cases/{case.pk}",
        source=f"/agencies/{case.agency.slug}",
        agency=case.agency,
        data={
            "case": str(case.pk),
            "reference": case.reference,
            "service": case.service_id,
            "status": case.status,
            **(data or {}),
        },
    )


def case_link(case: Case) -> str:
    from django.urls import reverse

    return reverse("cases:case", args=[case.pk])


def thread_of(case: Case) -> Thread:
    """The case's message thread: opened with the case in the submit transaction."""
    if case.thread is None:
        raise RuntimeError(f"case {case.pk} has no thread")
    return case.thread


def applicant_language(case: Case) -> str | None:
    """The language the applicant applied in (``"nb"``, ``"en"``), if the case has an
    application that recorded it: their notifications and decision letter use it."""
    if case.application is None:
        return None
    return (case.application.summary or {}).get("language") or None


def notify_applicant(
    case: Case, event: str, *, language: str | None = None, now: bool = False, **context: Any
) -> None:
    """Tell the applicant something happened; the details are on Min side behind login.

    ``now``: written and sent in this worker task (``messaging.notify(now=True)``), not by
    a task of its own. ``language``: the one the applicant applied in, when the caller knows
    it without reading the application."""
    person = getattr(case.applicant, "person", None)
    messaging.notify(
        event=event,
        pid=person.pid if person is not None else None,
        user=case.applicant,
        agency=case.agency,
        link_path=case_link(case),
        context={
            "reference": case.reference,
            "service_title": case.title,
            "agency_name": case.agency.name,
            **context,
        },
        language=language or applicant_language(case),
        now=now,
    )


def _move(
    case: Case,
    transition: Transition,
    user: User | None,
    *,
    note: str = "",
    details: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    visible_to_applicant: bool = True,
) -> Case:
    """Move ``case`` along ``transition`` if it is still in one of the transition's states.

    Call inside a transaction. The UPDATE is conditional on the status the caller saw, so a
    case moved meanwhile by someone else is refused rather than moved twice.
    """
    if case.status not in transition.from_:
        raise ActionRefused(_("Saken har ikke riktig status for denne handlingen."))
    workflow = get_workflow(case.workflow)
    now = timezone.now()
    final = workflow.is_final(transition.to)
    updates: dict[str, Any] = {
        "status": transition.to,
        "is_open": not final,
        "updated_at": now,
        **(changes or {}),
    }
    if final:
        updates.setdefault("closed_at", now)
    if not workflow.state(transition.to).waiting:  # type: ignore[union-attr]
        updates.setdefault("waiting_until", None)
    moved = Case.objects.filter(pk=case.pk, status=case.status).update(**updates)
    if not moved:
        raise ActionRefused(_("Saken ble endret av noen andre. Last siden på nytt."))
    previous = case.status
    for name, value in updates.items():
        setattr(case, name, value)
    _event(
        case,
        "status_changed",
        user,
        from_status=previous,
        to_status=transition.to,
        note=note,
        details={"transition": transition.id, **(details or {})},
        visible_to_applicant=visible_to_applicant,
    )
    audit.record(
        user,
        f"cases.{transition.id}",
        case,
        {"reference": case.reference, "from": previous, "to": transition.to},
    )
    _domain_event(case, "status_changed", {"from": previous, "transition": transition.id})
    return case


def _waiting_transition(case: Case, action: str) -> Transition:
    workflow = get_workflow(case.workflow)
    for transition in workflow.transitions_from(case.status):
        if transition.action == action:
            return transition
    raise ActionRefused(_("Saken har ikke riktig status for denne handlingen."))


def _date_text(moment: dt.datetime) -> dt.date:
    """The day a deadline falls on in Oslo (the notice prints it in its own language)."""
    return deadlines.local_date(moment)
