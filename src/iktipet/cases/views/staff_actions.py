"""The case workers' actions: each a POST to its own URL that calls ONE service function.

Success redirects back to the case page (POST-redirect-GET) with a message; a refusal
(CaseActionRefused) re-renders the case page with the error next to the field, what was
typed kept, and HTTP 400.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iktipet.cases import forms, selectors, services
from iktipet.cases.models import Case
from iktipet.cases.services import CaseActionRefused
from iktipet.cases.views.staff import case_staff_required, case_url, render_case
from iktipet.core.ratelimit import Limit, ratelimit, user_key


def case_action(name: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """POST only, a case role, rate-limited per user; the view gets the case it may act on,
    and a refusal it raises becomes the case page with the error (400)."""

    def decorator(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @require_POST
        @case_staff_required
        @ratelimit(f"cases.staff.{name}", Limit(60, 60), key=user_key)
        @wraps(func)
        def wrapped(request: HttpRequest, case_id: uuid.UUID, **kwargs: Any) -> HttpResponse:
            case = selectors.case_for_staff(request.user, case_id, purpose=name)
            try:
                return func(request, case, **kwargs)
            except CaseActionRefused as refused:
                errors = dict(getattr(refused, "errors", None) or {})
                if not errors:
                    errors[refused.field or "__all__"] = refused.message
                return _refused(request, case, name, errors, refused.message)

        return wrapped

    return decorator


def _refused(
    request: HttpRequest, case: Case, name: str, errors: dict[str, str], message: str = ""
) -> HttpResponse:
    fresh = selectors.case_for_staff(request.user, case.pk, purpose=name)
    return render_case(
        request,
        fresh,
        failed=name,
        errors=errors,
        message=message or next(iter(errors.values()), ""),
        status=400,
    )


def _done(request: HttpRequest, case: Case, text: str) -> HttpResponse:
    messages.success(request, text)
    return HttpResponseRedirect(case_url(case))


def _invalid(request: HttpRequest, case: Case, name: str, form: forms._Form) -> HttpResponse:
    return _refused(request, case, name, form.field_errors())


@case_action("transition")
def transition(request: HttpRequest, case: Case, transition_id: str) -> HttpResponse:
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "transition", form)
    found = case.workflow_model.transition(transition_id)
    services.transition_case(case, transition_id, user=request.user, note=form.cleaned_data["note"])
    label = found.label.get() if found else transition_id
    return _done(request, case, _("Utført: %(action)s.") % {"action": label})


@case_action("assign_me")
def assign_me(request: HttpRequest, case: Case) -> HttpResponse:
    services.assign_case(case, user=request.user, assignee=request.user)
    return _done(request, case, _("Saken er tildelt deg."))


@case_action("release")
def release(request: HttpRequest, case: Case) -> HttpResponse:
    services.assign_case(case, user=request.user, assignee=None)
    return _done(request, case, _("Saken er frigitt."))


@case_action("assign")
def assign(request: HttpRequest, case: Case) -> HttpResponse:
    form = forms.AssignForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "assign", form)
    assignee = selectors.case_workers_of(case).filter(pk=form.cleaned_data["assignee"]).first()
    if assignee is None:
        raise CaseActionRefused(_("Velg en saksbehandler."), field="assignee")
    services.assign_case(case, user=request.user, assignee=assignee)
    name = assignee.get_full_name() or assignee.get_username()
    return _done(request, case, _("Saken er tildelt %(name)s.") % {"name": name})


@case_action("request_information")
def request_information(request: HttpRequest, case: Case) -> HttpResponse:
    from iktipet.messaging.services import MessageRejected

    form = forms.RequestInformationForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "request_information", form)
    try:
        services.request_information(
            case,
            user=request.user,
            body=form.cleaned_data["body"],
            files=request.FILES.getlist("files"),
            answer_days=form.cleaned_data["answer_days"],
        )
    except MessageRejected as rejected:
        return _refused(request, case, "request_information", dict(rejected.errors))
    return _done(request, case, _("Forespørselen er sendt til søkeren."))


@case_action("message")
def message(request: HttpRequest, case: Case) -> HttpResponse:
    from iktipet.messaging.services import MessageRejected

    form = forms.MessageForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "message", form)
    try:
        services.post_staff_message(
            case,
            user=request.user,
            body=form.cleaned_data["body"],
            files=request.FILES.getlist("files"),
        )
    except MessageRejected as rejected:
        return _refused(request, case, "message", dict(rejected.errors))
    return _done(request, case, _("Meldingen er sendt."))


@case_action("hearing")
def send_to_hearing(request: HttpRequest, case: Case) -> HttpResponse:
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "hearing", form)
    services.send_to_hearing(case, user=request.user, note=form.cleaned_data["note"])
    return _done(request, case, _("Saken er sendt på høring."))


@case_action("hearing_response")
def hearing_response(request: HttpRequest, case: Case, hearing_id: int) -> HttpResponse:
    hearing = selectors.hearing_of(case, hearing_id)
    form = forms.HearingResponseForm(request.POST)
    if not form.is_valid():
        return _refused(request, case, f"hearing_response-{hearing.pk}", form.field_errors())
    try:
        services.record_hearing_response(
            hearing,
            user=request.user,
            has_remarks=form.cleaned_data["has_remarks"] == "yes",
            response=form.cleaned_data["response"],
        )
    except CaseActionRefused as refused:
        errors = {refused.field or "__all__": refused.message}
        return _refused(request, case, f"hearing_response-{hearing.pk}", errors, refused.message)
    return _done(request, case, _("Svaret fra %(body)s er registrert.") % {"body": hearing.label})


@case_action("decide")
def decide(request: HttpRequest, case: Case) -> HttpResponse:
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "decide", form)
    data = form.cleaned_data
    services.decide_case(
        case,
        user=request.user,
        outcome=data["outcome"],
        justification=data["justification"],
        legal_basis=data["legal_basis"],
        appeal_body=data["appeal_body"],
        language=((case.application.summary or {}).get("language") if case.application else None)
        or "nb",
    )
    return _done(request, case, _("Vedtaket er fattet."))


@case_action("offer")
def make_offer(request: HttpRequest, case: Case) -> HttpResponse:
    from iktipet.cases.views.staff import _kindergarten_choices

    form = forms.OfferForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "offer", form)
    choices = dict(_kindergarten_choices(case))
    kindergarten = form.cleaned_data["kindergarten"]
    if kindergarten not in choices:
        raise CaseActionRefused(
            _("Velg en av barnehagene søkeren har ønsket."), field="kindergarten"
        )
    services.make_offer(
        case,
        user=request.user,
        kindergarten_id=kindergarten,
        kindergarten_name=choices[kindergarten],
        start_date=form.cleaned_data["start_date"],
    )
    return _done(
        request, case, _("Tilbudet om plass i %(name)s er sendt.") % {"name": choices[kindergarten]}
    )
