"""The case worker's actions (assignment, transitions, requests for information, hearing)
and the applicant's messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iktipet.cases import deadlines
from iktipet.cases.hearing import asked_and_unheard
from iktipet.cases.models import Case, HearingRequest
from iktipet.cases.permissions import applicant_may, staff_roles_in
from iktipet.cases.services.base import (
    INFORMATION_ANSWER_DAYS,
    MAX_NOTE,
    _check_actor,
    _date_text,
    _domain_event,
    _event,
    _move,
    _transition,
    _waiting_transition,
    actor_label,
    notify_applicant,
    thread_of,
)
from iktipet.cases.workflow import get_workflow
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.messaging import services as messaging

if TYPE_CHECKING:
    from iktipet.accounts.types import User

# --- staff actions ----------------------------------------------------------------------------


def assign_case(case: Case, *, user: User, assignee: Any | None) -> Case:
    """Give the case to ``assignee`` (a case worker of the agency), or to nobody.

    A case worker takes an unassigned case or releases their own; only an agency admin
    gives a case to someone else or takes it from someone else.
    """
    roles = staff_roles_in(user, case.agency_id)
    if not roles:
        raise ActionRefused(_("Du har ikke tilgang til å utføre denne handlingen."))
    is_admin = "agency_admin" in roles
    if assignee is not None and not staff_roles_in(assignee, case.agency_id):
        raise ActionRefused(_("Saksbehandleren arbeider ikke i denne virksomheten."))
    taking = assignee is not None and assignee.pk == user.pk
    if not is_admin:
        if assignee is not None and not taking:
            raise ActionRefused(_("Bare en administrator kan tildele saken til andre."))
        if case.assignee_id not in (None, user.pk):
            raise ActionRefused(
                _("Saken er tildelt en annen. Bare en administrator kan flytte den.")
            )
    with transaction.atomic():
        # Conditional on the assignee the caller saw: two people taking it at once, one wins.
        moved = Case.objects.filter(pk=case.pk, assignee_id=case.assignee_id).update(
            assignee=assignee, updated_at=timezone.now()
        )
        if not moved:
            raise ActionRefused(_("Saken ble endret av noen andre. Last siden på nytt."))
        previous = case.assignee_id
        case.assignee = assignee
        _event(
            case,
            "assigned",
            user,
            details={"assignee": actor_label(assignee) if assignee else ""},
            visible_to_applicant=False,
        )
        audit.record(
            user,
            "cases.assigned",
            case,
            {"from": previous, "to": assignee.pk if assignee else None},
        )
        _domain_event(case, "assigned")
    return case


def transition_case(
    case: Case, transition_id: str, *, user: User, note: str = "", as_applicant: bool = False
) -> Case:
    """Take a transition that needs nothing but an optional note."""
    workflow = get_workflow(case.workflow)
    transition = _transition(workflow, transition_id)
    if transition.action not in (None,):
        raise ActionRefused(_("Denne handlingen har et eget skjema."))
    _check_actor(case, transition, user, as_applicant=as_applicant)
    if len(note) > MAX_NOTE:
        raise ActionRefused(_("Merknaden er for lang."), field="note")
    if transition.requires == "hearing_answered" and asked_and_unheard(case):
        raise ActionRefused(
            _("Alle høringsinstansene må ha svart, eller svarfristen må være ute, først.")
        )
    with transaction.atomic():
        _move(case, transition, user, note=note.strip())
        if transition.to == "closed":
            notify_applicant(case, "case.closed")
    return case


def system_transition(case: Case, transition_id: str, *, note: str = "") -> Case:
    """Take a transition the platform itself takes (a deadline passed), in one transaction.

    Raises ActionRefused when the workflow gives the system no such transition or the
    case is not (any more) in a state it starts from.
    """
    transition = _transition(get_workflow(case.workflow), transition_id)
    _check_actor(case, transition, None, as_applicant=False)
    with transaction.atomic():
        _move(case, transition, None, note=note)
    return case


def request_information(
    case: Case,
    *,
    user: User,
    body: str,
    files: Sequence[UploadedFile] = (),
    answer_days: int = INFORMATION_ANSWER_DAYS,
) -> Case:
    """Ask the applicant for more in the case's thread; the case waits for their answer."""
    transition = _waiting_transition(case, "request_information")
    _check_actor(case, transition, user, as_applicant=False)
    if not 1 <= answer_days <= 90:
        raise ActionRefused(_("Svarfristen må være mellom 1 og 90 dager."), field="answer_days")
    now = timezone.now()
    answer_by = deadlines.answer_deadline(now, answer_days)
    with transaction.atomic():
        messaging.post_message(
            thread_of(case),
            author=user,
            side="staff",
            body=body,
            files=files,
            kind="information_request",
            author_label=actor_label(user, case),
        )
        _move(case, transition, user, changes={"waiting_until": answer_by})
        notify_applicant(case, "case.information_requested", deadline=_date_text(answer_by))
    return case


def post_staff_message(
    case: Case, *, user: User, body: str, files: Sequence[UploadedFile] = ()
) -> Any:
    if not staff_roles_in(user, case.agency_id):
        raise ActionRefused(_("Du har ikke tilgang til å utføre denne handlingen."))
    with transaction.atomic():
        message = messaging.post_message(
            thread_of(case),
            author=user,
            side="staff",
            body=body,
            files=files,
            author_label=actor_label(user, case),
        )
        _event(case, "message", user, details={"side": "staff"})
        audit.record(user, "cases.message_sent", case, {"reference": case.reference})
        notify_applicant(case, "case.message")
    return message


def post_citizen_message(
    case: Case, *, user: User, body: str, files: Sequence[UploadedFile] = ()
) -> Any:
    """The applicant writes in the thread. An answer to a request moves the case back to
    the case worker. The caller fetched ``case`` through a citizen selector."""
    if not case.is_open:
        raise ActionRefused(
            _("Saken er avsluttet. Kontakt virksomheten direkte hvis du har spørsmål."),
            field="body",
        )
    workflow = get_workflow(case.workflow)
    answering = bool(workflow.state(case.status) and workflow.state(case.status).waiting)  # type: ignore[union-attr]
    answer = next(
        (
            t
            for t in workflow.transitions_from(case.status)
            if answering and applicant_may(t) and t.action is None
        ),
        None,
    )
    with transaction.atomic():
        message = messaging.post_message(
            thread_of(case),
            author=user,
            side="citizen",
            body=body,
            files=files,
            kind="answer" if answer else "message",
            author_label=actor_label(user),
        )
        if answer is not None:
            _move(case, answer, user)
        else:
            _event(case, "message", user, details={"side": "citizen"})
            Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
        audit.record(user, "cases.message_received", case, {"reference": case.reference})
        _domain_event(case, "message_received")
    return message


def send_to_hearing(case: Case, *, user: User, note: str = "") -> Case:
    transition = _waiting_transition(case, "hearing")
    _check_actor(case, transition, user, as_applicant=False)
    workflow = get_workflow(case.workflow)
    with transaction.atomic():
        for body in workflow.hearing_bodies:
            HearingRequest.objects.get_or_create(
                case=case, body=body.id, defaults={"body_label": body.label.get("nb")}
            )
        _move(case, transition, user, note=note, visible_to_applicant=True)
    return case


def record_hearing_response(
    hearing: HearingRequest, *, user: User, has_remarks: bool, response: str
) -> HearingRequest:
    case = hearing.case
    if not staff_roles_in(user, case.agency_id):
        raise ActionRefused(_("Du har ikke tilgang til å utføre denne handlingen."))
    response = response.strip()
    if has_remarks and not response:
        raise ActionRefused(_("Skriv hva høringsinstansen har merknader til."), field="response")
    if len(response) > MAX_NOTE:
        raise ActionRefused(_("Uttalelsen er for lang."), field="response")
    with transaction.atomic():
        hearing.answered_at = timezone.now()
        hearing.has_remarks = has_remarks
        hearing.response = response
        hearing.recorded_by = user
        hearing.save(update_fields=["answered_at", "has_remarks", "response", "recorded_by"])
        _event(
            case,
            "hearing_answered",
            user,
            details={"body": hearing.body, "has_remarks": has_remarks},
        )
        audit.record(user, "cases.hearing_answered", case, {"body": hearing.body})
    return hearing
