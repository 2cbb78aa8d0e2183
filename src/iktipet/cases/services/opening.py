"""Opening the case a submitted application becomes."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from iktipet.cases import deadlines, tasks
from iktipet.cases.models import Case
from iktipet.cases.numbering import allocate_case_number
from iktipet.cases.services.base import _domain_event, _event
from iktipet.cases.workflow import get_workflow
from iktipet.catalog import titles
from iktipet.core import audit, rows
from iktipet.core.tasks import enqueue
from iktipet.messaging import services as messaging

# --- opening a case ---------------------------------------------------------------------------


def _title(definition: Any, summary: dict[str, Any]) -> str:
    """The definition's ``case_title`` filled in from the answers as the summary shows them,
    in the language the application was sent in; else the service's title."""
    language = str(summary.get("language") or "nb")
    template = getattr(definition, "case_title", None)
    if template is not None:
        sections = summary.get("sections")
        shown = titles.shown_answers(sections if isinstance(sections, list) else [])
        filled = titles.fill(template.get(language), shown)
        if filled:
            return filled
    return str(summary.get("service_title") or definition.title.get(language))


def open_case_for_application(application: Any) -> Case:
    """The case a submitted application becomes. Runs inside the submit transaction."""
    from iktipet.catalog.models import Service

    service_id = application.service_version.service_id
    # Read with SQL compiled once per connection (core.rows): ~0.3 ms less CPU per submit.
    service = rows.first(
        Service,
        "cases.opening.service",
        lambda using: (
            Service.objects.using(using).select_related("agency").filter(pk=service_id).order_by()
        ),
        lambda connection: [service_id],
    )
    if service is None:
        raise Service.DoesNotExist(f"service {service_id} of a submitted application")
    definition = application.service_version.definition_model
    if service.agency is None:
        # The catalogue check refuses such a service; a submit must not open a case nowhere.
        raise RuntimeError(f"service {definition.id!r} has no agency to handle its cases")
    workflow = get_workflow(definition.workflow)
    received = application.submitted_at or timezone.now()
    year = deadlines.local_date(received).year
    party_name = application.party_name or application.applicant.get_full_name() or ""
    title = _title(definition, application.summary or {})
    due = workflow.due
    # The thread first and the case number last: the counter row's lock is held until the
    # submit commits, so the less that follows it, the more submits per second one agency
    # takes (PostgreSQL serialises them on that row).
    case_id = uuid.uuid4()
    thread = messaging.open_new_thread(
        agency=service.agency, subject_type="cases.case", subject_id=str(case_id), title=title
    )
    case = Case(
        id=case_id,
        thread=thread,
        agency=service.agency,
        year=year,
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
    case.sequence = allocate_case_number(case.agency_id, year)
    case.save(force_insert=True)
    _event(case, "received", None, to_status=case.status, details={"reference": case.reference})
    # Written as one INSERT compiled once (no RETURNING): three audit rows per submit.
    audit.append(application.applicant, "cases.opened", case, {"reference": case.reference})
    _domain_event(case, "opened", {"application": str(application.pk)})
    from iktipet.cases.hooks import case_opened

    case_opened(case)
    # The receipt notice, as every later one: KRR decides email, SMS or a printed letter.
    # A fee paid with the application is named in the receipt notice (issue 11.3). Written
    # by the worker from the task queued here, in this transaction (cases.tasks).
    summary = application.summary or {}
    paid = summary.get("payment") or {}
    enqueue(
        tasks.notify_received,
        str(case.pk),
        paid.get("amount") or None,
        summary.get("language") or None,
    )
    return case
