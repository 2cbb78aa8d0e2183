"""Pages of the nabovarsel app. Thin: parse, call a selector or one service, render."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from iktipet.accounts.decorators import citizen_login_required, staff_required
from iktipet.accounts.links import switch_for_link
from iktipet.accounts.parties import current_party
from iktipet.core.errors import ActionRefused, refused_page
from iktipet.core.ratelimit import Limit, ratelimit, user_key
from iktipet.documents.downloads import file_download, stored_file_download
from iktipet.nabovarsel import selectors, services
from iktipet.nabovarsel.contents import notice_contents

#: The order of the reply form's fields, for the error summary.
REPLY_FIELDS = (("consent", "consent-yes"), ("remark", "remark"), ("files", "files"))


def _consent(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


# --- the neighbour ----------------------------------------------------------------------------


def _notice_page(
    request: HttpRequest,
    found: Any,
    *,
    typed: dict[str, str],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = errors or {}
    context = {
        "title": _("Nabovarsel"),
        "notice": found,
        "contents": notice_contents(found.case),
        "closed": services.is_closed(found, timezone.now()),
        "errors": errors,
        "error_list": [
            {"anchor": anchor, "message": errors[name]}
            for name, anchor in REPLY_FIELDS
            if name in errors
        ],
        "typed": typed,
        "reply_files": list(found.attachments.all()),
    }
    return render(request, "nabovarsel/notice.html", context, status=status)


def _notice(request: HttpRequest, notice_id: uuid.UUID) -> Any:
    """The notice to the party acted for; a link (SMS, email, Min side) to one addressed to
    another party the person may act for switches to it, on reading only (accounts.links)."""
    try:
        return selectors.notice_for_neighbour(request.user, current_party(request), notice_id)
    except Http404:
        owner = None
        if request.method in ("GET", "HEAD"):
            owner = selectors.owner_of_notice_for_neighbour(request.user, notice_id)
        party = switch_for_link(request, *owner) if owner is not None else None
        if party is None:
            raise
        return selectors.notice_for_neighbour(request.user, party, notice_id)


@citizen_login_required
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit("nabovarsel.reply", Limit(30, 60), key=user_key, methods=("POST",))
def notice(request: HttpRequest, notice_id: uuid.UUID) -> HttpResponse:
    found = _notice(request, notice_id)
    if request.method != "POST":
        if found.opened_at is None:
            services.mark_notice_opened(found, user=request.user)
        typed = {
            "consent": "" if found.consent is None else ("yes" if found.consent else "no"),
            "remark": found.remark,
        }
        return _notice_page(request, found, typed=typed)
    typed = {"consent": request.POST.get("consent", ""), "remark": request.POST.get("remark", "")}
    try:
        services.reply_to_notice(
            found,
            user=request.user,
            consent=_consent(typed["consent"]),
            remark=typed["remark"],
            files=request.FILES.getlist("files"),
            remove_files=request.POST.getlist("remove_file"),
        )
    except ActionRefused as refused:
        # 200, not the 400 of other refusals: what this page has always answered (tested).
        page = partial(_notice_page, request, found, typed=typed)
        fields = [name for name, _anchor in REPLY_FIELDS]
        return refused_page(page, refused, fields=fields, other="consent", status=200)
    messages.success(request, _("Svaret ditt er sendt. Du kan endre det fram til fristen."))
    return HttpResponseRedirect(request.path)


@citizen_login_required
@require_safe
def notice_file(
    request: HttpRequest, notice_id: uuid.UUID, attachment_id: uuid.UUID
) -> HttpResponse:
    """A drawing or document of the notice, for the neighbour it is addressed to."""
    found = _notice(request, notice_id)
    attachment = selectors.notice_attachment(found, attachment_id)
    return stored_file_download(attachment)


@citizen_login_required
@require_safe
def own_reply_file(
    request: HttpRequest, notice_id: uuid.UUID, attachment_id: uuid.UUID
) -> HttpResponse:
    """A file the neighbour sent with their own reply."""
    found = _notice(request, notice_id)
    attachment = selectors.reply_attachment_of_notice(found, attachment_id)
    return stored_file_download(attachment)


# --- the applicant ----------------------------------------------------------------------------


def _citizen_case(request: HttpRequest, case_id: uuid.UUID) -> Any:
    from iktipet.cases.selectors import case_for_citizen

    case = case_for_citizen(request.user, current_party(request), case_id)
    if case.workflow != services.SERVICE_ID:
        raise Http404
    return case


def _summary_download(case: Any) -> HttpResponse:
    """The round's summary PDF of a case the caller already checked; 404 before it exists."""
    summary = selectors.summary_of_case(case)
    if summary is None:
        raise Http404
    name = f"nabovarsel-{summary.case.reference.replace('/', '-')}.pdf"
    return file_download(summary.pdf, filename=name, content_type="application/pdf")


@citizen_login_required
@require_safe
def case_summary(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _summary_download(_citizen_case(request, case_id))


@citizen_login_required
@require_safe
def case_reply_file(
    request: HttpRequest, case_id: uuid.UUID, attachment_id: uuid.UUID
) -> HttpResponse:
    attachment = selectors.reply_attachment_of_case(_citizen_case(request, case_id), attachment_id)
    return stored_file_download(attachment)


# --- the case worker (mounted from staff_urls) --------------------------------------------------


def _staff_case(request: HttpRequest, case_id: uuid.UUID, purpose: str) -> Any:
    from iktipet.cases.selectors import case_for_staff

    case = case_for_staff(request.user, case_id, purpose=purpose)
    if case.workflow != services.SERVICE_ID:
        raise Http404
    return case


@staff_required
@require_safe
def staff_summary(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _summary_download(_staff_case(request, case_id, "nabovarsel_summary"))


@staff_required
@require_safe
def staff_reply_file(
    request: HttpRequest, case_id: uuid.UUID, attachment_id: uuid.UUID
) -> HttpResponse:
    case = _staff_case(request, case_id, "nabovarsel_remark_file")
    attachment = selectors.reply_attachment_of_case(case, attachment_id)
    return stored_file_download(attachment)
