"""The case workers' pages: the inbox, a case, its files and its decision letter.

Thin views: parse the request, read through the permission-checked selectors (another
agency's case is a 404), render. The actions on a case are in :mod:`.staff_actions`.
"""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import timedelta
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from iktipet.accounts.models import User
from iktipet.cases import deadlines, inbox, permissions, selectors
from iktipet.cases.appeal_bodies import appeal_body_for
from iktipet.cases.hooks import rendered_case_sections
from iktipet.cases.inbox_html import inbox_rows_html, inbox_texts
from iktipet.cases.models import Case, Decision
from iktipet.cases.permissions import CASE_ROLES, case_agency_ids, staff_may, staff_roles_in
from iktipet.cases.services import INFORMATION_ANSWER_DAYS, default_appeal_body
from iktipet.cases.staff_html import timeline_html
from iktipet.cases.staff_page_html import (
    actions_html,
    answers_html,
    head_html,
    outcomes,
    texts,
)
from iktipet.cases.staff_sections_html import after_sections, before_sections
from iktipet.cases.timeline import timeline_for
from iktipet.core import selectors as core_selectors
from iktipet.core.forms import disallowed_text_error, validates_query_text
from iktipet.core.models import Agency
from iktipet.documents.downloads import stored_file_download
from iktipet.messaging.models import Thread

#: The inbox needs a case role. Object pages let any staff login through and leave the
#: answer to ``case_for_staff``: a staff member who may not see the case gets 404, the same
#: as for a case that does not exist (a 403 would confirm that it does).
inbox_staff_required = permissions.case_staff_required(role=CASE_ROLES)
case_staff_required = permissions.case_staff_required()

#: The inbox's tabs as they appear in the address.
VIEW_PARAMS = {"mine": "mine", "ufordelt": "unassigned", "alle": "all"}
VIEW_NAMES = {value: key for key, value in VIEW_PARAMS.items()}

#: The pages' times are Oslo's (the templates' ``{% timezone "Europe/Oslo" %}``).
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


# --- the inbox ---------------------------------------------------------------------------------


def _agencies(user: Any) -> list[Agency]:
    """The agencies whose cases ``user`` works on, by name: from the agency list that core
    caches for every page (a minute, dropped when an agency changes), not a query."""
    mine = set(case_agency_ids(user))
    return [agency for agency in core_selectors.agencies() if agency.pk in mine]


#: How long an agency's service filter is kept: a service published meanwhile shows up in
#: the filter (not in the list of cases, which is never cached) after at most this long.
SERVICES_CACHE_SECONDS = 60


def _agency_services(agency: Agency) -> list[dict[str, Any]]:
    """The agency's services with the states of each one's workflow, for the filters, in
    the current language; cached (the same for every case worker of the agency)."""
    key = f"cases:inbox-services:v1:{agency.pk}:{get_language()}"
    found = cache.get(key)
    if found is None:
        found = _read_agency_services(agency)
        cache.set(key, found, SERVICES_CACHE_SECONDS)
    return found


def _read_agency_services(agency: Agency) -> list[dict[str, Any]]:
    from iktipet.cases.workflow import UnknownWorkflow, get_workflow
    from iktipet.catalog.models import ServiceVersion

    found = []
    versions = (
        ServiceVersion.objects.published()
        .filter(service__agency=agency)
        .select_related("service")
        .defer("definition")  # the parsed definition is cached per content hash
        .order_by("service__title_nb")
    )
    for version in versions:
        workflow_id = getattr(version.definition_model, "workflow", None)
        if not workflow_id:
            continue  # a link to a service elsewhere: it has no cases here
        try:
            workflow = get_workflow(workflow_id)
        except (UnknownWorkflow, ValueError):
            continue
        found.append(
            {
                "id": version.service.service_id,
                "title": version.definition_model.title.get(),
                "states": [(state.id, state.label.get()) for state in workflow.states],
            }
        )
    return found


def _status_choices(services: list[dict[str, Any]], service: str) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for entry in services:
        if service and entry["id"] != service:
            continue
        for state_id, label in entry["states"]:
            seen.setdefault(state_id, label)
    return list(seen.items())


@validates_query_text
@require_safe
@inbox_staff_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    agencies = _agencies(user)
    if not agencies:
        raise Http404
    get = request.GET
    agency = next((a for a in agencies if a.slug == get.get("virksomhet")), agencies[0])
    chosen = VIEW_PARAMS.get(get.get("visning", ""))
    services = _agency_services(agency)
    service_ids = {entry["id"] for entry in services}
    service = get.get("tjeneste", "")
    service = service if service in service_ids else ""
    statuses = _status_choices(services, service)
    status = get.get("status", "")
    status = status if status in dict(statuses) else ""
    overdue = get.get("forfalt") == "1"
    include_closed = get.get("lukkede") == "1"
    typed = get.get("sok", "")
    query = typed.strip()[: inbox.MAX_QUERY]
    # The search is this page's form: a control character is an error on its field, shown
    # with what was typed (the rest of the page lists the cases as if nothing was searched).
    search_error = disallowed_text_error(typed)
    listing: dict[str, Any] = {
        "service": service or None,
        "status": status or None,
        "overdue": overdue,
        "query": "" if search_error else query,
        "include_closed": include_closed,
    }
    cursors = {"after": get.get("etter") or None, "before": get.get("foer") or None}
    # No tab chosen: "Mine saker" when the user has an open case of the agency assigned, else
    # "Ufordelte saker". Its page is read first: an open case on it answers the question
    # without the query of its own (most case workers have cases), and so does an empty
    # page listed without filters: it holds all their open cases of the agency, or every
    # case of theirs when closed ones are shown and there is no next page.
    view = chosen or "mine"
    page = _inbox_page(user, agency, view, listing, cursors)
    if chosen is None and not any(case.is_open for case in page.rows):
        unfiltered = not any(
            (service, status, overdue, listing["query"], cursors["after"], cursors["before"])
        )
        none_open = unfiltered and (not include_closed or not page.has_next)
        if none_open or not inbox.has_open_assigned(user, agency):
            view = "unassigned"
            page = _inbox_page(user, agency, view, listing, cursors)
    filters = {
        "virksomhet": agency.slug,
        "visning": VIEW_NAMES[view],
        "tjeneste": service,
        "status": status,
        "forfalt": "1" if overdue else "",
        "lukkede": "1" if include_closed else "",
        "sok": query,
    }
    base = {key: value for key, value in filters.items() if value}
    texts = inbox_texts()
    # Each tab's address is the filters' with its own visning: encoded once, the visning
    # swapped (an encoded value has no bare "=", so the first "visning=" is the key's).
    encoded = urlencode(base)
    current = f"visning={VIEW_NAMES[view]}"
    tabs = [
        {
            "param": VIEW_NAMES[name],
            "label": label,
            "current": name == view,
            "url": "?" + encoded.replace(current, f"visning={VIEW_NAMES[name]}", 1),
        }
        for name, label in texts["tabs"]
    ]
    context = {
        "title": texts["title"],
        "agencies": agencies,
        "agency": agency,
        "view": view,
        "tabs": tabs,
        "services": services,
        "statuses": statuses,
        "filters": filters,
        "rows": page.rows,
        "page": page,
        "search_error": search_error,
        "next_url": "?" + urlencode({**base, "etter": page.next_cursor})
        if page.next_cursor
        else "",
        "previous_url": "?" + urlencode({**base, "foer": page.previous_cursor})
        if page.previous_cursor
        else "",
        "first_url": "?" + urlencode(base) if (get.get("etter") or get.get("foer")) else "",
        # The rows written in Python (the template's loop was a third of the page), their
        # labels and days made once per language (inbox_html._row_markup).
        "rows_html": inbox_rows_html(page.rows, timezone.now()),
    }
    return render(request, "cases/staff/inbox.html", context, status=400 if search_error else 200)


def _inbox_page(
    user: Any, agency: Agency, view: str, listing: dict[str, Any], cursors: dict[str, Any]
) -> inbox.InboxPage:
    try:
        return inbox.inbox_page(user, agency, view=view, **listing, **cursors)
    except inbox.InvalidCursor:
        # A cursor we did not make (edited, truncated, from an old version): the first page.
        return inbox.inbox_page(user, agency, view=view, **listing)


# --- the case page -----------------------------------------------------------------------------


def _assignable(case: Case) -> list[User]:
    return list(selectors.case_workers_of(case))


def case_context(
    request: HttpRequest,
    case: Case,
    *,
    failed: str = "",
    errors: dict[str, str] | None = None,
    message: str = "",
) -> dict[str, Any]:
    """Everything the case page shows. ``failed`` names the form whose action was refused;
    its typed values come back from request.POST and ``errors`` go next to its fields."""
    from iktipet.messaging.selectors import messages_of

    user = request.user
    roles = selectors.viewer_roles(case)  # read with the case page's case
    if roles is None:
        roles = staff_roles_in(user, case.agency_id)
    workflow = case.workflow_model
    allowed = [t for t in workflow.transitions_from(case.status) if staff_may(t, roles)]
    generic = [t for t in allowed if t.action is None]
    actions = {t.action: t for t in allowed if t.action}
    decision = selectors.decision_of(case)
    appeal = selectors.appeal_of_case(case)
    original: Case | None
    original_decision: Decision | None
    if appeal is not None and appeal.decision.case_id == case.appeal_of_id:
        # The appealed decision and its case came with the appeal: no statement for each.
        original, original_decision = appeal.decision.case, appeal.decision
    else:
        original = case.appeal_of
        original_decision = selectors.decision_of(original) if original is not None else None
    typed = request.POST if failed else {}
    context = {
        "title": texts()["Sak %(reference)s"] % {"reference": case.reference},
        "case": case,
        "urls": CaseUrls(case.pk),
        "roles": roles,
        "is_admin": "agency_admin" in roles,
        "sections": ((case.application.summary or {}).get("sections", []))
        if case.application_id
        else [],
        "attachments": selectors.files_for_staff_page(case),
        "timeline_html": timeline_html(timeline_for(case, for_applicant=False)),
        # Read by the thread's id: a Thread instance is made only to move the marker.
        "thread_messages": messages_of(_ThreadId(case.thread_id)) if case.thread_id else [],  # type: ignore[arg-type]
        "attachment_url_name": "casework:message_attachment",
        "attachment_url_args": [case.pk],
        "generic_transitions": generic,
        "request_information": actions.get("request_information"),
        "hearing_transition": actions.get("hearing"),
        "decide_transition": actions.get("decide"),
        "offer_transition": actions.get("offer"),
        "hearings": _hearings(case) if workflow.hearing_bodies else [],
        "decision": decision,
        "offers": list(case.offers.all()) if workflow.offer_answer_days else [],
        "open_offer": selectors.open_offer_of(case),
        "kindergartens": selectors.kindergarten_choices_of(case) if actions.get("offer") else [],
        "assignable": _assignable(case) if "agency_admin" in roles else [],
        "original": original,
        "original_decision": original_decision,
        "appeal": appeal,
        "outcomes": outcomes(),
        # The decision form's default (reads the agency's municipality): only with the form.
        "default_appeal_body": _default_appeal_body(case) if actions.get("decide") else "",
        "default_answer_days": INFORMATION_ANSWER_DAYS,
        "today": deadlines.local_date(timezone.now()),
        "extra_sections": rendered_case_sections(request, case, "staff"),
        "payments": selectors.payments_for_case_page(case),
        "may_claim": bool(roles & set(CASE_ROLES)),
        "claim_due_default": deadlines.local_date(timezone.now()) + timedelta(days=30),
        "failed": failed,
        "errors": errors or {},
        "error_message": message,
        "typed": typed,
        # One masked token for the page's forms, as {% csrf_token %} made it once per render.
        "csrf_token": get_token(request),
    }
    # The page's content written in Python (the template engine spent ~65 translations,
    # ~80 conditions and five includes on it a view; issue 13).
    write_page(context, user.pk)
    return context


def write_page(context: dict[str, Any], user_id: Any) -> None:
    """The content's HTML into ``context`` (``before_sections_html``, then the sections
    the case's service adds, then ``after_sections_html``); ``user_id``: who is looking."""
    context["head_html"] = head_html(context)
    context["actions_html"] = actions_html(context, context["csrf_token"], user_id)
    context["answers_html"] = answers_html(context)
    context["before_sections_html"] = before_sections(context)
    context["after_sections_html"] = after_sections(context)


#: A stand-in case id: each action's address is reversed once with it, then the real id is
#: put in its place (``{% url %}`` reversed every address on every view: ~0.03 ms each).
_PLACEHOLDER = str(uuid.UUID(int=0))
_reversed: dict[tuple[str, str], str] = {}


class CaseUrls:
    """``urls.decide`` in the case page's template: ``reverse("casework:decide", args=[id])``
    for any of the case's one-argument addresses, with the case's id."""

    def __init__(self, case_id: uuid.UUID) -> None:
        self.case_id = str(case_id)

    def __getitem__(self, name: str) -> str:
        key = (get_script_prefix(), name)
        found = _reversed.get(key)
        if found is None:
            found = _reversed[key] = reverse(f"casework:{name}", args=[_PLACEHOLDER])
        return found.replace(_PLACEHOLDER, self.case_id)


def _default_appeal_body(case: Case) -> str:
    """``services.default_appeal_body`` with the agency's municipality from core's cached
    agency list (the page does not join it; a query of its own costs ~0.25 ms)."""
    agency = next((a for a in core_selectors.agencies() if a.pk == case.agency_id), None)
    if agency is None:  # created since the list was cached
        return default_appeal_body(case)
    return appeal_body_for(agency.municipality.kommunenummer, case.service_id)


class _ThreadId(NamedTuple):
    """What ``messaging.selectors.messages_of`` reads of a thread: its id."""

    pk: Any


def _thread_of(case: Case) -> Thread:
    """The case's thread for reading its messages and marker: the joined one, else a handle
    by id (the case page does not join the thread: nothing of it but the id is shown)."""
    if Case.thread.is_cached(case):
        return case.thread  # type: ignore[return-value]
    return Thread(pk=case.thread_id)


def _hearings(case: Case) -> list[Any]:
    hearings = list(case.hearings.all())
    for hearing in hearings:
        hearing.case = case  # its label reads the case's workflow: no query per hearing
        hearing.form_name = f"hearing_response-{hearing.pk}"  # matches ``failed`` on an error
    return hearings


def render_case(
    request: HttpRequest,
    case: Case,
    *,
    failed: str = "",
    errors: dict[str, str] | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    context = case_context(request, case, failed=failed, errors=errors, message=message)
    return render(request, "cases/staff/case.html", context, status=status)


@require_safe
@permissions.case_page_staff_required
def case_view(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    from iktipet.messaging.services import mark_read

    # Short autocommit writes (the audited read, the read marker), not one transaction
    # around the case query: on SQLite a write transaction holds the database's only write
    # lock, and holding it through the SELECT took p99 from 0.3 s to 2 s under load. The
    # read is audited on every view. The marker moves to the newest message shown, and only
    # when that one is new to the reader: most views of a case write nothing there.
    case = selectors.case_page_for_staff(request.user, case_id)
    context = case_context(request, case)
    newest = selectors.newest_unread(case, context["thread_messages"])
    if newest is not None:
        mark_read(_thread_of(case), request.user, until=newest)
    return render(request, "cases/staff/case.html", context)


# --- files -------------------------------------------------------------------------------------


@require_safe
@case_staff_required
def application_attachment(
    request: HttpRequest, case_id: uuid.UUID, attachment_id: uuid.UUID
) -> HttpResponse:
    """A file the applicant sent with the application, after the case check."""
    case = selectors.case_for_staff(request.user, case_id, purpose="attachment")
    found = selectors.application_attachment_of(case, attachment_id)
    return stored_file_download(found)


@require_safe
@case_staff_required
def message_attachment(
    request: HttpRequest, case_id: uuid.UUID, attachment_id: uuid.UUID
) -> HttpResponse:
    """A file sent in the case's thread, after the case check."""
    from iktipet.messaging.attachments import serve_attachment
    from iktipet.messaging.selectors import attachment_in_thread

    case = selectors.case_for_staff(request.user, case_id, purpose="attachment")
    if not case.thread_id:
        raise Http404
    found = attachment_in_thread(case.thread, attachment_id)
    return serve_attachment(found)


@require_safe
@case_staff_required
def decision_letter(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    from iktipet.cases.letters import decision_letter_pdf

    case = selectors.case_for_staff(request.user, case_id, purpose="decision_letter")
    decision = selectors.decision_of(case)
    if decision is None:
        raise Http404
    response = HttpResponse(decision_letter_pdf(decision), content_type="application/pdf")
    filename = f"vedtak-{case.year}-{case.sequence:06d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def case_url(case: Case) -> str:
    return reverse("casework:case", args=[case.pk])
