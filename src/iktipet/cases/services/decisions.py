"""Decisions (enkeltvedtak), their delivery to the party and appeals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iktipet.cases import deadlines
from iktipet.cases.appeal_bodies import appeal_body_for
from iktipet.cases.hearing import unheard_bodies
from iktipet.cases.models import Appeal, Case, Decision
from iktipet.cases.numbering import allocate_case_number
from iktipet.cases.services.base import (
    _check_actor,
    _domain_event,
    _event,
    _move,
    _waiting_transition,
    actor_label,
    applicant_language,
    notify_applicant,
)
from iktipet.cases.services.claims import claim_decision_fee
from iktipet.cases.workflow import get_workflow
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.core.forms import disallowed_text_error
from iktipet.messaging import services as messaging

if TYPE_CHECKING:
    from iktipet.accounts.types import User

# --- decisions --------------------------------------------------------------------------------


def default_appeal_body(case: Case) -> str:
    """The configured appeal body for the case's municipality and service, or ""."""
    return appeal_body_for(case.agency.municipality.kommunenummer, case.service_id)


def decide_case(
    case: Case,
    *,
    user: User,
    outcome: str,
    justification: str,
    legal_basis: str,
    appeal_body: str = "",
) -> Decision:
    """Make the enkeltvedtak. The justification and legal basis are required (fvl. § 24–25);
    the appeal deadline is set when the decision reaches the party. The letter is written
    in the language the applicant applied in (Norwegian bokmål when unknown)."""
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
    appeal_body = appeal_body.strip() or default_appeal_body(case)
    if not appeal_body:
        errors["appeal_body"] = _("Skriv hvem som avgjør en klage (klageinstansen).")
    elif len(appeal_body) > 200:
        errors["appeal_body"] = _("Klageinstansen er for lang (høyst 200 tegn).")
    if errors:
        raise ActionRefused(errors)
    _check_hearing(case, transition.requires, outcome)
    now = timezone.now()
    with transaction.atomic():
        _move(case, transition, user, changes={"decided_at": now}, details={"outcome": outcome})
        decision = Decision.objects.create(
            case=case,
            outcome=outcome,
            justification=justification.strip(),
            legal_basis=legal_basis.strip(),
            appeal_body=appeal_body,
            decided_by=user,
            decided_by_label=actor_label(user, case),
            decided_at=now,
            language=(applicant_language(case) or "nb")[:5],
        )
        audit.record(user, "cases.decided", case, {"outcome": outcome})
        _domain_event(case, "decided", {"outcome": outcome})
        notify_applicant(case, "case.decided")
        # A grant carries the service's fee when it is claimed after the decision.
        claim_decision_fee(case, user=user, outcome=outcome)
    return decision


def _check_hearing(case: Case, requires: str | None, outcome: str) -> None:
    """A grant (in full or in part) waits until every hearing body has been heard; a
    refusal or dismissal needs no hearing (alkoholloven § 1-7 protects against a grant)."""
    if requires != "hearing_before_grant" or outcome not in (
        Decision.Outcome.GRANTED,
        Decision.Outcome.PARTLY_GRANTED,
    ):
        return
    missing = unheard_bodies(case)
    if missing:
        raise ActionRefused(
            _(
                "Søknaden kan ikke innvilges før høringen er avsluttet: %(bodies)s har ikke "
                "svart, og svarfristen er ikke ute."
            )
            % {"bodies": ", ".join(missing)}
        )


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


def record_applicant_view(
    case: Case, *, user: User, read_until: Any = None, decision: Decision | None = None
) -> None:
    """The applicant opened their case: a decision shown on the page has reached them (the
    first delivery counts: it starts the appeal deadline), and the thread is read up to
    ``read_until`` (the newest message the page showed, when it was new to them; None:
    nothing new, and the marker is not written). ``decision``: the case's decision as the
    page read it, if any (not read again)."""
    # Short writes of their own, no transaction around the reads: on SQLite a write
    # transaction holds the only write lock (bench/README.md, "Case pages").
    if case.thread is not None and read_until is not None:
        messaging.mark_read(case.thread, user, until=read_until)
    if case.decided_at is not None:  # no decision without decided_at: no query
        if decision is None:
            decision = Decision.objects.filter(case=case, delivered_at__isnull=True).first()
        if decision is not None and decision.delivered_at is None:
            mark_decision_delivered(decision)


def appeal_decision(
    decision: Decision, *, user: User, grounds: str, files: Sequence[UploadedFile] = ()
) -> Case:
    """The party appeals (klage, fvl. § 28): a linked appeal case at the same agency.

    Within the deadline the appeal is ordinary; after it, it is still received but marked
    late (the agency may consider it under § 31) — the citizen never loses what they wrote.
    """
    refused = disallowed_text_error(grounds)
    if refused:
        raise ActionRefused(refused, field="grounds")
    grounds = grounds.strip()
    if not grounds:
        raise ActionRefused(_("Skriv hvorfor du klager på vedtaket."), field="grounds")
    if len(grounds) > 20_000:
        raise ActionRefused(_("Klagen er for lang (høyst 20 000 tegn)."), field="grounds")
    original = decision.case
    if Appeal.objects.filter(decision=decision, submitted_by=user).exists():
        raise ActionRefused(_("Du har allerede klaget på dette vedtaket."))
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
            due_date=(
                deadlines.after(
                    now,
                    months=workflow.due.months,
                    weeks=workflow.due.weeks,
                    days=workflow.due.days,
                )
                if workflow.due
                else None
            ),
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
