"""Writes of the cases app: one transactional function per action.

Each action checks that the actor may take it, moves the case with a conditional UPDATE
(two case workers clicking at once cannot both move it), writes the timeline, the audit log
and a domain event, and schedules notifications, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iktipet.cases import deadlines
from iktipet.cases.models import Appeal, Case, CaseEvent, Decision, HearingRequest, Offer
from iktipet.cases.numbering import allocate_case_number
from iktipet.cases.permissions import applicant_may, staff_may, staff_roles_in
from iktipet.cases.workflow import Transition, Workflow, get_workflow
from iktipet.core import audit
from iktipet.core.events import record_event
from iktipet.messaging import services as messaging

#: How long an applicant has to answer a request for more information, unless told.
INFORMATION_ANSWER_DAYS = 14
MAX_NOTE = 10_000


class CaseActionRefused(Exception):
    """The action cannot be taken now; ``message`` is translated, for the person."""

    def __init__(self, message: str, field: str = "") -> None:
        self.message = message
        self.field = field
        super().__init__(message)


# --- helpers ----------------------------------------------------------------------------------


def actor_label(user: Any, case: Case | None = None) -> str:
    if user is None:
        return _("Systemet")
    name = user.get_full_name() or user.get_username()
    if case is not None and getattr(user, "is_staff_member", False):
        return f"{name}, {case.agency.name}"
    return name


def _transition(workflow: Workflow, transition_id: str) -> Transition:
    found = workflow.transition(transition_id)
    if found is None:
        raise CaseActionRefused(_("Denne handlingen finnes ikke for saken."))
    return found


def _check_actor(case: Case, transition: Transition, user: Any, *, as_applicant: bool) -> None:
    if user is None:
        if "system" not in transition.roles:
            raise CaseActionRefused(_("Denne handlingen kan ikke utføres automatisk."))
        return
    if as_applicant:
        allowed = applicant_may(transition)
    else:
        allowed = staff_may(transition, staff_roles_in(user, case.agency_id))
    if not allowed:
        raise CaseActionRefused(_("Du har ikke tilgang til å utføre denne handlingen."))


def _event(
    case: Case,
    kind: str,
    user: Any,
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


def notify_applicant(case: Case, event: str, **context: Any) -> None:
    """Tell the applicant something happened; the details are on Min side behind login."""
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
        language=(case.application.summary or {}).get("language") if case.application else None,
    )


def _move(
    case: Case,
    transition: Transition,
    user: Any,
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
        raise CaseActionRefused(_("Saken har ikke riktig status for denne handlingen."))
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
        raise CaseActionRefused(_("Saken ble endret av noen andre. Last siden på nytt."))
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


# --- opening a case ---------------------------------------------------------------------------


def open_case_for_application(application: Any) -> Case:
    """The case a submitted application becomes. Runs inside the submit transaction."""
    from iktipet.catalog.models import Service

    service = Service.objects.select_related("agency").get(
        pk=application.service_version.service_id
    )
    definition = application.service_version.definition_model
    if service.agency is None:
        # The catalogue check refuses such a service; a submit must not open a case nowhere.
        raise RuntimeError(f"service {definition.id!r} has no agency to handle its cases")
    workflow = get_workflow(definition.workflow)
    received = application.submitted_at or timezone.now()
    year = deadlines.local_date(received).year
    party_name = application.party_name or application.applicant.get_full_name() or ""
    title = (application.summary or {}).get("service_title") or definition.title.get()
    due = workflow.due
    case = Case.objects.create(
        agency=service.agency,
        year=year,
        sequence=allocate_case_number(service.agency_id, year),
        kind=Case.Kind.APPLICATION,
        application=application,
        service_id=definition.id,
        title=title[:200],
        workflow=workflow.id,
        status=workflow.initial,
        is_open=not workflow.is_final(workflow.initial),
        applicant=application.applicant,
        party_kind=application.party_kind,
        party_identifier=application.party_identifier,
        party_name=party_name[:200],
        search_name=party_name.lower()[:200],
        received_at=received,
        due_date=(
            deadlines.after(received, months=due.months, weeks=due.weeks, days=due.days)
            if due
            else None
        ),
    )
    case.thread = messaging.open_thread(
        agency=service.agency, subject_type="cases.case", subject_id=str(case.pk), title=title
    )
    Case.objects.filter(pk=case.pk).update(thread=case.thread)
    _event(case, "received", None, to_status=case.status, details={"reference": case.reference})
    audit.record(application.applicant, "cases.opened", case, {"reference": case.reference})
    _domain_event(case, "opened", {"application": str(application.pk)})
    from iktipet.cases.hooks import case_opened

    case_opened(case)
    # No notification here: the applications app already sends the receipt email.
    return case


# --- staff actions ----------------------------------------------------------------------------


def assign_case(case: Case, *, user: Any, assignee: Any | None) -> Case:
    """Give the case to ``assignee`` (a case worker of the agency), or to nobody.

    A case worker takes an unassigned case or releases their own; only an agency admin
    gives a case to someone else or takes it from someone else.
    """
    roles = staff_roles_in(user, case.agency_id)
    if not roles:
        raise CaseActionRefused(_("Du har ikke tilgang til å utføre denne handlingen."))
    is_admin = "agency_admin" in roles
    if assignee is not None and not staff_roles_in(assignee, case.agency_id):
        raise CaseActionRefused(_("Saksbehandleren arbeider ikke i denne virksomheten."))
    taking = assignee is not None and assignee.pk == user.pk
    if not is_admin:
        if assignee is not None and not taking:
            raise CaseActionRefused(_("Bare en administrator kan tildele saken til andre."))
        if case.assignee_id not in (None, user.pk):
            raise CaseActionRefused(
                _("Saken er tildelt en annen. Bare en administrator kan flytte den.")
            )
    with transaction.atomic():
        # Conditional on the assignee the caller saw: two people taking it at once, one wins.
        moved = Case.objects.filter(pk=case.pk, assignee_id=case.assignee_id).update(
            assignee=assignee, updated_at=timezone.now()
        )
        if not moved:
            raise CaseActionRefused(_("Saken ble endret av noen andre. Last siden på nytt."))
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
    case: Case, transition_id: str, *, user: Any, note: str = "", as_applicant: bool = False
) -> Case:
    """Take a transition that needs nothing but an optional note."""
    workflow = get_workflow(case.workflow)
    transition = _transition(workflow, transition_id)
    if transition.action not in (None,):
        raise CaseActionRefused(_("Denne handlingen har et eget skjema."))
    _check_actor(case, transition, user, as_applicant=as_applicant)
    if len(note) > MAX_NOTE:
        raise CaseActionRefused(_("Merknaden er for lang."), field="note")
    if (
        transition.requires == "hearing_answered"
        and case.hearings.filter(answered_at__isnull=True).exists()
    ):
        raise CaseActionRefused(_("Alle høringsinstansene må ha svart først."))
    with transaction.atomic():
        _move(case, transition, user, note=note.strip())
        if transition.to == "closed":
            notify_applicant(case, "case.closed")
    return case


def system_transition(case: Case, transition_id: str, *, note: str = "") -> Case:
    """Take a transition the platform itself takes (a deadline passed), in one transaction.

    Raises CaseActionRefused when the workflow gives the system no such transition or the
    case is not (any more) in a state it starts from.
    """
    transition = _transition(get_workflow(case.workflow), transition_id)
    _check_actor(case, transition, None, as_applicant=False)
    with transaction.atomic():
        _move(case, transition, None, note=note)
    return case


def _waiting_transition(case: Case, action: str) -> Transition:
    workflow = get_workflow(case.workflow)
    for transition in workflow.transitions_from(case.status):
        if transition.action == action:
            return transition
    raise CaseActionRefused(_("Saken har ikke riktig status for denne handlingen."))


def request_information(
    case: Case,
    *,
    user: Any,
    body: str,
    files: Sequence[UploadedFile] = (),
    answer_days: int = INFORMATION_ANSWER_DAYS,
) -> Case:
    """Ask the applicant for more in the case's thread; the case waits for their answer."""
    transition = _waiting_transition(case, "request_information")
    _check_actor(case, transition, user, as_applicant=False)
    if not 1 <= answer_days <= 90:
        raise CaseActionRefused(_("Svarfristen må være mellom 1 og 90 dager."), field="answer_days")
    now = timezone.now()
    answer_by = deadlines.answer_deadline(now, answer_days)
    with transaction.atomic():
        messaging.post_message(
            case.thread,
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
    case: Case, *, user: Any, body: str, files: Sequence[UploadedFile] = ()
) -> Any:
    if not staff_roles_in(user, case.agency_id):
        raise CaseActionRefused(_("Du har ikke tilgang til å utføre denne handlingen."))
    with transaction.atomic():
        message = messaging.post_message(
            case.thread,
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
    case: Case, *, user: Any, body: str, files: Sequence[UploadedFile] = ()
) -> Any:
    """The applicant writes in the thread. An answer to a request moves the case back to
    the case worker. The caller fetched ``case`` through a citizen selector."""
    if not case.is_open:
        raise CaseActionRefused(
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
            case.thread,
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


def record_applicant_view(case: Case, *, user: Any) -> None:
    """The applicant opened their case: the thread is read, and a decision shown on the page
    has reached them (the first delivery counts: it starts the appeal deadline)."""
    if case.thread is not None:
        messaging.mark_read(case.thread, user)
    decision = Decision.objects.filter(case=case, delivered_at__isnull=True).first()
    if decision is not None:
        mark_decision_delivered(decision)


def send_to_hearing(case: Case, *, user: Any, note: str = "") -> Case:
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
    hearing: HearingRequest, *, user: Any, has_remarks: bool, response: str
) -> HearingRequest:
    case = hearing.case
    if not staff_roles_in(user, case.agency_id):
        raise CaseActionRefused(_("Du har ikke tilgang til å utføre denne handlingen."))
    response = response.strip()
    if has_remarks and not response:
        raise CaseActionRefused(
            _("Skriv hva høringsinstansen har merknader til."), field="response"
        )
    if len(response) > MAX_NOTE:
        raise CaseActionRefused(_("Uttalelsen er for lang."), field="response")
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
            details={"body": hearing.body_label, "has_remarks": has_remarks},
        )
        audit.record(user, "cases.hearing_answered", case, {"body": hearing.body})
    return hearing


# --- decisions --------------------------------------------------------------------------------

DEFAULT_APPEAL_BODY = "Statsforvalteren i Oslo og Viken"


def decide_case(
    case: Case,
    *,
    user: Any,
    outcome: str,
    justification: str,
    legal_basis: str,
    appeal_body: str = "",
    language: str = "nb",
) -> Decision:
    """Make the enkeltvedtak. The justification and legal basis are required (fvl. § 24–25);
    the appeal deadline is set when the decision reaches the party."""
    transition = _waiting_transition(case, "decide")
    _check_actor(case, transition, user, as_applicant=False)
    errors = {}
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = _("Velg utfallet av vedtaket.")
    if not justification.strip():
        errors["justification"] = _("Skriv begrunnelsen for vedtaket (forvaltningsloven § 24).")
    elif len(justification) > 20_000:
        errors["justification"] = _("Begrunnelsen er for lang (høyst 20 000 tegn).")
    if not legal_basis.strip():
        errors["legal_basis"] = _("Skriv hvilke regler vedtaket bygger på (hjemmel).")
    elif len(legal_basis) > 2_000:
        errors["legal_basis"] = _("Hjemmelen er for lang (høyst 2 000 tegn).")
    if len(appeal_body) > 200:
        errors["appeal_body"] = _("Klageinstansen er for lang (høyst 200 tegn).")
    if errors:
        field, message = next(iter(errors.items()))
        refused = CaseActionRefused(message, field=field)
        refused.errors = errors  # type: ignore[attr-defined]
        raise refused
    now = timezone.now()
    with transaction.atomic():
        _move(case, transition, user, changes={"decided_at": now}, details={"outcome": outcome})
        decision = Decision.objects.create(
            case=case,
            outcome=outcome,
            justification=justification.strip(),
            legal_basis=legal_basis.strip(),
            appeal_body=(appeal_body.strip() or DEFAULT_APPEAL_BODY)[:200],
            decided_by=user,
            decided_by_label=actor_label(user, case),
            decided_at=now,
            language=language[:5] or "nb",
        )
        audit.record(user, "cases.decided", case, {"outcome": outcome})
        _domain_event(case, "decided", {"outcome": outcome})
        notify_applicant(case, "case.decided")
    return decision


def mark_decision_delivered(decision: Decision, at: dt.datetime | None = None) -> Decision:
    """The decision reached the party (notified, or seen on Min side): start the 3 weeks.

    The first delivery counts; later ones change nothing.
    """
    at = at or timezone.now()
    deadline = deadlines.appeal_deadline(at)
    updated = Decision.objects.filter(pk=decision.pk, delivered_at__isnull=True).update(
        delivered_at=at, appeal_deadline=deadline
    )
    if updated:
        decision.delivered_at, decision.appeal_deadline = at, deadline
        _event(decision.case, "decision_delivered", None, details={"deadline": str(deadline)})
    else:
        decision.refresh_from_db(fields=["delivered_at", "appeal_deadline"])
    return decision


def appeal_decision(
    decision: Decision, *, user: Any, grounds: str, files: Sequence[UploadedFile] = ()
) -> Case:
    """The party appeals (klage, fvl. § 28): a linked appeal case at the same agency.

    Within the deadline the appeal is ordinary; after it, it is still received but marked
    late (the agency may consider it under § 31) — the citizen never loses what they wrote.
    """
    grounds = grounds.strip()
    if not grounds:
        raise CaseActionRefused(_("Skriv hvorfor du klager på vedtaket."), field="grounds")
    if len(grounds) > 20_000:
        raise CaseActionRefused(_("Klagen er for lang (høyst 20 000 tegn)."), field="grounds")
    original = decision.case
    if Appeal.objects.filter(decision=decision, submitted_by=user).exists():
        raise CaseActionRefused(_("Du har allerede klaget på dette vedtaket."))
    now = timezone.now()
    if decision.delivered_at is None:
        decision = mark_decision_delivered(decision, now)
    late = deadlines.is_past(decision.appeal_deadline, now)
    workflow = get_workflow("appeal")
    title = _("Klage: %(title)s") % {"title": original.title}
    with transaction.atomic():
        year = deadlines.local_date(now).year
        case = Case.objects.create(
            agency=original.agency,
            year=year,
            sequence=allocate_case_number(original.agency_id, year),
            kind=Case.Kind.APPEAL,
            appeal_of=original,
            service_id=original.service_id,
            title=title[:200],
            workflow=workflow.id,
            status=workflow.initial,
            applicant=user,
            party_kind=original.party_kind,
            party_identifier=original.party_identifier,
            party_name=original.party_name,
            search_name=original.search_name,
            received_at=now,
            due_date=deadlines.after(now, weeks=workflow.due.weeks) if workflow.due else None,
        )
        case.thread = messaging.open_thread(
            agency=case.agency, subject_type="cases.case", subject_id=str(case.pk), title=title
        )
        Case.objects.filter(pk=case.pk).update(thread=case.thread)
        Appeal.objects.create(
            decision=decision, case=case, grounds=grounds, submitted_by=user, late=late
        )
        messaging.post_message(
            case.thread,
            author=user,
            side="citizen",
            body=grounds,
            files=files,
            author_label=actor_label(user),
        )
        _event(
            case,
            "received",
            user,
            to_status=case.status,
            details={"appeal_of": original.reference, "late": late},
        )
        _event(original, "appealed", user, details={"appeal": case.reference, "late": late})
        audit.record(user, "cases.appealed", original, {"appeal": case.reference, "late": late})
        _domain_event(case, "opened", {"appeal_of": str(original.pk), "late": late})
        notify_applicant(case, "case.appeal_received")
    return case


# --- kindergarten offers ----------------------------------------------------------------------


def make_offer(
    case: Case, *, user: Any, kindergarten_id: str, kindergarten_name: str, start_date: dt.date
) -> Offer:
    transition = _waiting_transition(case, "offer")
    _check_actor(case, transition, user, as_applicant=False)
    today = deadlines.local_date(timezone.now())
    if start_date < today:
        raise CaseActionRefused(
            _("Oppstartsdatoen kan ikke være tilbake i tid."), field="start_date"
        )
    workflow = get_workflow(case.workflow)
    now = timezone.now()
    answer_by = deadlines.answer_deadline(now, workflow.offer_answer_days or 10)
    with transaction.atomic():
        _move(
            case,
            transition,
            user,
            changes={"waiting_until": answer_by},
            details={"kindergarten": kindergarten_name},
        )
        offer = Offer.objects.create(
            case=case,
            kindergarten_id=kindergarten_id,
            kindergarten_name=kindergarten_name[:200],
            start_date=start_date,
            answer_by=answer_by,
            made_by=user,
        )
        notify_applicant(case, "barnehage.offer", deadline=_date_text(answer_by))
    return offer


def answer_offer(offer: Offer, *, user: Any, accept: bool) -> Offer:
    """The applicant accepts or declines. The caller fetched the case through a citizen
    selector. After the deadline the offer is gone, whatever the worker has done yet."""
    case = offer.case
    now = timezone.now()
    if offer.status != Offer.Status.OFFERED:
        raise CaseActionRefused(_("Tilbudet er allerede besvart eller utløpt."))
    if now > offer.answer_by:
        raise CaseActionRefused(_("Svarfristen for tilbudet har gått ut."))
    workflow = get_workflow(case.workflow)
    transition = _transition(workflow, "accept_offer" if accept else "decline_offer")
    status = Offer.Status.ACCEPTED if accept else Offer.Status.DECLINED
    with transaction.atomic():
        if not Offer.objects.filter(pk=offer.pk, status=Offer.Status.OFFERED).update(
            status=status, answered_at=now
        ):
            raise CaseActionRefused(_("Tilbudet er allerede besvart eller utløpt."))
        offer.status, offer.answered_at = status, now
        _move(case, transition, user, details={"offer": str(offer.pk)})
    return offer


def expire_offers(now: dt.datetime | None = None) -> int:
    """Offers not answered by their deadline expire (run by a periodic task)."""
    now = now or timezone.now()
    count = 0
    due = Offer.objects.filter(status=Offer.Status.OFFERED, answer_by__lt=now).select_related(
        "case", "case__agency", "case__application", "case__applicant"
    )
    for offer in due.iterator():
        with transaction.atomic():
            if not Offer.objects.filter(pk=offer.pk, status=Offer.Status.OFFERED).update(
                status=Offer.Status.EXPIRED
            ):
                continue
            case = offer.case
            try:
                system_transition(case, "expire_offer")
            except CaseActionRefused:
                continue
            notify_applicant(case, "barnehage.offer_expired")
            count += 1
    return count


def _date_text(moment: dt.datetime) -> dt.date:
    """The day a deadline falls on in Oslo (the notice prints it in its own language)."""
    return deadlines.local_date(moment)
