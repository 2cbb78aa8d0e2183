"""The applicant's case pages on Min side: the case, its thread, the decision, the appeal,
a kindergarten offer. Every case is fetched through ``selectors.case_for_citizen``: a case
of another party is a 404, on every URL (pages, posts and downloads alike).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from iktipet.accounts import citizen_login_redirect, citizen_login_required
from iktipet.accounts.links import switch_for_link
from iktipet.accounts.parties import current_party
from iktipet.cases import deadlines, selectors, services
from iktipet.cases.citizen_html import case_page_html, message_url, timeline_html
from iktipet.cases.hooks import rendered_case_sections
from iktipet.cases.models import Case, Decision, Offer
from iktipet.cases.timeline import timeline_for
from iktipet.cases.workflow import get_workflow
from iktipet.core.errors import ActionRefused, refused_page
from iktipet.core.ratelimit import Limit, ratelimit, user_key
from iktipet.messaging.attachments import serve_attachment
from iktipet.messaging.selectors import attachment_in_thread, messages_of

#: How much of the grounds of an appeal we accept (the service says the same).
MAX_GROUNDS = 20_000


class _StepUp(Exception):
    """The case's service asks for a higher level of assurance than this login has."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _case(
    request: HttpRequest,
    case_id: uuid.UUID,
    fetch: Callable[..., Case] = selectors.case_for_citizen,
) -> Case:
    """The applicant's case, at the level of assurance its service asks for (barnehageplass
    asks for high: a login at substantial is sent through login again, as the service is).
    ``fetch``: the selector (the case page reads a narrower one)."""
    try:
        case = fetch(request.user, current_party(request), case_id)
    except Http404:
        case = _case_of_other_party(request, case_id, fetch)
    redirect = citizen_login_redirect(request, selectors.login_level_of(case))
    if redirect is not None:
        raise _StepUp(redirect)
    return case


def _case_of_other_party(
    request: HttpRequest, case_id: uuid.UUID, fetch: Callable[..., Case]
) -> Case:
    """A link (SMS, email, Min side) to a case of a party the person may act for, opened
    while acting for another: switch to that party with a notice. Only on reading a page, so
    a form posted under one party never lands under another; 404 for anyone else."""
    owner = None
    if request.method in ("GET", "HEAD"):
        owner = selectors.owner_of_case_for_citizen(request.user, case_id)
    party = switch_for_link(request, owner[0], owner[1]) if owner is not None else None
    if party is None:
        raise Http404
    return fetch(request.user, party, case_id)


def at_case_level(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _StepUp as step_up:
            return step_up.response

    return wrapped


def _url(case: Case, anchor: str = "") -> str:
    return reverse("cases:case", args=[case.pk]) + (f"#{anchor}" if anchor else "")


# --- the timeline -----------------------------------------------------------------------------


def _timeline(case: Case) -> dict[str, Any] | None:
    """The timeline's entries as HTML (``cases.citizen_html``); None when there are none."""
    entries = timeline_for(case, for_applicant=True)
    return timeline_html(entries) if entries else None


# --- the case page ----------------------------------------------------------------------------


def _information_request(case: Case, thread_messages: list[Any]) -> Any:
    """The latest request for information while the case waits for the applicant."""
    state = case.workflow_model.state(case.status)
    if not (state and state.waiting):
        return None
    requests = [m for m in thread_messages if m.kind == "information_request"]
    return requests[-1] if requests else None


def _decision_context(request: HttpRequest, case: Case, decision: Decision | None) -> dict:
    if decision is None:
        return {"decision": None}
    appeals = selectors.appeals_of(decision)
    return {
        "decision": decision,
        "appeals": appeals,
        "appeal_deadline_passed": deadlines.is_past(decision.appeal_deadline, timezone.now()),
        "may_appeal": not any(a.submitted_by_id == request.user.pk for a in appeals),
    }


def _offers(case: Case) -> tuple[Offer | None, list[Offer]]:
    """The open offer, and the ones answered or expired (newest first)."""
    if not any(t.action == "offer" for t in case.workflow_model.transitions):
        return None, []  # no offers in this workflow: spare the queries
    open_offer = selectors.open_offer_of(case)
    past = [offer for offer in case.offers.all() if offer.status != Offer.Status.OFFERED]
    return open_offer, past


def _newest_unread(case: Case, thread_messages: list[Any]) -> Any:
    """When the newest message shown was written, if the reader had not read that far
    (``selectors.newest_unread``: the case page's read says how far); else None, and the
    read marker is not written (most views of a case: issue 13). A message written after
    the page read the thread stays unread."""
    if case.thread is None:
        return None
    return selectors.newest_unread(case, thread_messages)


def case_context(
    request: HttpRequest,
    case: Case,
    *,
    status: int = 200,
    failed: str = "",
    errors: dict[str, str] | None = None,
    body: str = "",
) -> dict[str, Any]:
    """The case page's context (on a 200: the view recorded, as the page shows it); after a
    refusal, ``failed`` names the form ("message" or "offer") whose ``errors`` are shown,
    and ``body`` is the message as typed."""
    decision = selectors.decision_of(case)
    thread_messages = messages_of(case.thread) if case.thread is not None else []
    if status == 200:
        # Before the timeline is read: a decision's first delivery adds an event to it.
        services.record_applicant_view(
            case,
            user=request.user,
            read_until=_newest_unread(case, thread_messages),
            decision=decision,
        )
    open_offer, past_offers = _offers(case)
    original_appeal = selectors.appeal_of_case(case)
    return {
        "title": f"{case.title} ({case.reference})",
        "case": case,
        "timeline": _timeline(case),
        "thread_messages": thread_messages,
        "attachment_url_name": "cases:attachment",
        "attachment_url_args": [case.pk],
        "information_request": None if open_offer else _information_request(case, thread_messages),
        "reply_action": message_url(case.pk),
        "reply_errors": (errors or {}) if failed == "message" else {},
        "reply_body": body if failed == "message" else "",
        "open_offer": open_offer,
        "past_offers": past_offers,
        "offer_error": " ".join((errors or {}).values()) if failed == "offer" else "",
        "appeal_case": original_appeal,
        # Only a processing time the workflow promises, never an internal deadline.
        "expected_by": case.due_date if get_workflow(case.workflow).due_public else None,
        "sections": rendered_case_sections(request, case, "applicant"),
        "payments": selectors.payments_for_case_page(case),
        # One masked token for the page's forms, as {% csrf_token %} made it once per render.
        "csrf_token": get_token(request),
        **_decision_context(request, case, decision),
    }


def _case_page(
    request: HttpRequest, case: Case, *, status: int = 200, **refused: Any
) -> HttpResponse:
    """The case page (``refused``: ``case_context``'s ``failed``, ``errors`` and ``body``),
    its content written by ``cases.citizen_html`` (issue 13)."""
    context = case_context(request, case, status=status, **refused)
    context["page_head"], context["page_tail"] = case_page_html(context)
    return render(request, "cases/citizen/case.html", context, status=status)


@require_safe
@citizen_login_required
@at_case_level
def case_page(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """``/min-side/saker/<id>/``: status, timeline, thread, decision, offer."""
    return _case_page(request, _case(request, case_id, selectors.case_page_for_citizen))


@require_POST
@citizen_login_required
@at_case_level
@ratelimit("cases.citizen.message", Limit(30, 60), key=user_key)
def post_message(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """A message (or the answer to a request for information) in the case's thread."""
    case = _case(request, case_id)
    body = request.POST.get("body", "")
    try:
        services.post_citizen_message(
            case, user=request.user, body=body, files=request.FILES.getlist("files")
        )
    except ActionRefused as refused:
        page = partial(_case_page, request, case, failed="message", body=body)
        return refused_page(page, refused, fields=("body", "files"), other="body")
    messages.success(request, _("Meldingen er sendt."))
    return HttpResponseRedirect(_url(case, "meldinger"))


@require_safe
@citizen_login_required
@at_case_level
def attachment(request: HttpRequest, case_id: uuid.UUID, attachment_id: uuid.UUID) -> HttpResponse:
    """A file in the case's thread, after the case check."""
    case = _case(request, case_id)
    if case.thread is None:
        raise Http404
    return serve_attachment(attachment_in_thread(case.thread, attachment_id))


# --- the decision and the appeal --------------------------------------------------------------


def _decision(case: Case) -> Decision:
    decision = selectors.decision_of(case)
    if decision is None:
        raise Http404
    return decision


@require_safe
@citizen_login_required
@at_case_level
def decision_letter(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """``vedtak.pdf``: the decision letter, rendered and stored on first use."""
    case = _case(request, case_id)
    decision = _decision(case)
    from iktipet.cases.letters import decision_letter_pdf

    response = HttpResponse(decision_letter_pdf(decision), content_type="application/pdf")
    filename = f"vedtak-{case.reference.replace('/', '-')}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _appeal_page(
    request: HttpRequest,
    case: Case,
    decision: Decision,
    *,
    status: int = 200,
    grounds: str = "",
    errors: dict[str, str] | None = None,
) -> HttpResponse:
    context = {
        "title": _("Klag på vedtaket i sak %(reference)s") % {"reference": case.reference},
        "case": case,
        "grounds": grounds,
        "errors": errors or {},
        "error_list": [
            {"anchor": "appeal-" + field, "message": message}
            for field, message in (errors or {}).items()
        ],
        **_decision_context(request, case, decision),
    }
    return render(request, "cases/citizen/appeal.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@citizen_login_required
@at_case_level
@ratelimit("cases.citizen.appeal", Limit(10, 60), key=user_key, methods=("POST",))
def appeal(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """``klage/``: the grounds of an appeal and optional files; a linked appeal case."""
    case = _case(request, case_id)
    decision = _decision(case)
    if request.method != "POST":
        if decision.delivered_at is None:
            services.mark_decision_delivered(decision)
        return _appeal_page(request, case, decision)
    grounds = request.POST.get("grounds", "")
    try:
        appeal_case = services.appeal_decision(
            decision, user=request.user, grounds=grounds, files=request.FILES.getlist("files")
        )
    except ActionRefused as refused:
        # The grounds are posted as the message of the appeal case: its "body" is ours.
        page = partial(_appeal_page, request, case, decision, grounds=grounds)
        return refused_page(
            page, refused, fields=("grounds", "files"), other="form", renamed={"body": "grounds"}
        )
    messages.success(
        request,
        _("Klagen er sendt. Den har fått saksnummer %(reference)s.")
        % {"reference": appeal_case.reference},
    )
    return HttpResponseRedirect(_url(appeal_case))


# --- kindergarten offers ----------------------------------------------------------------------


@require_POST
@citizen_login_required
@at_case_level
@ratelimit("cases.citizen.offer", Limit(20, 60), key=user_key)
def answer_offer(request: HttpRequest, case_id: uuid.UUID, offer_id: uuid.UUID) -> HttpResponse:
    """``tilbud/<id>/svar/`` with ``accept=yes|no``: "Takk ja" or "Takk nei"."""
    case = _case(request, case_id)
    offer = selectors.offer_of(case, offer_id)
    choice = request.POST.get("accept", "")
    try:
        if choice not in ("yes", "no"):
            raise ActionRefused(_("Velg «Takk ja» eller «Takk nei»."), field="accept")
        services.answer_offer(offer, user=request.user, accept=choice == "yes")
    except ActionRefused as refused:
        return refused_page(partial(_case_page, request, case, failed="offer"), refused)
    if choice == "yes":
        messages.success(request, _("Du har takket ja til plassen."))
    else:
        messages.success(request, _("Du har takket nei til plassen."))
    return HttpResponseRedirect(_url(case, "tilbud"))
