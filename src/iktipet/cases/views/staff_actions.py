"""The case workers' actions: each a POST to its own URL that calls ONE service function.

Success redirects back to the case page (POST-redirect-GET) with a message; a refusal
(:class:`~iktipet.core.errors.ActionRefused`, from the service or from the form) re-renders
the case page with the error next to the field, what was typed kept, and HTTP 400.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from iktipet.cases import forms, selectors, services
from iktipet.cases.models import Case
from iktipet.cases.views.staff import case_staff_required, case_url, render_case
from iktipet.core.errors import ActionRefused, refused_page
from iktipet.core.money import parse_nok
from iktipet.core.ratelimit import Limit, ratelimit, user_key


def case_action(
    name: str, *, form: str = ""
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """POST only, a case role, rate-limited per user; the view gets the case it may act on,
    and a refusal it raises becomes the case page with the error (400) on the form ``form``
    (``name`` unless told; formatted with the URL's arguments, ``"hearing_response-{id}"``)."""

    def decorator(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @require_POST
        @case_staff_required
        @ratelimit(f"cases.staff.{name}", Limit(60, 60), key=user_key)
        @wraps(func)
        def wrapped(request: HttpRequest, case_id: uuid.UUID, **kwargs: Any) -> HttpResponse:
            case = selectors.case_for_staff(request.user, case_id, purpose=name)
            try:
                return func(request, case, **kwargs)
            except ActionRefused as refused:
                failed = form.format(**kwargs) if form else name
                fresh = selectors.case_for_staff(request.user, case.pk, purpose=failed)
                page = partial(render_case, request, fresh, failed=failed, message=refused.message)
                return refused_page(page, refused)

        return wrapped

    return decorator


def _valid(form: forms._Form) -> dict[str, Any]:
    """The form's values; invalid, its errors are refused as a service's would be."""
    if not form.is_valid():
        raise ActionRefused(form.field_errors())
    return form.cleaned_data


def _done(request: HttpRequest, case: Case, text: str) -> HttpResponse:
    messages.success(request, text)
    return HttpResponseRedirect(case_url(case))


@case_action("transition", form="transition-{transition_id}")
def transition(request: HttpRequest, case: Case, transition_id: str) -> HttpResponse:
    data = _valid(forms.NoteForm(request.POST))
    found = case.workflow_model.transition(transition_id)
    services.transition_case(case, transition_id, user=request.user, note=data["note"])
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
    data = _valid(forms.AssignForm(request.POST))
    assignee = selectors.case_workers_of(case).filter(pk=data["assignee"]).first()
    if assignee is None:
        raise ActionRefused(_("Velg en saksbehandler."), field="assignee")
    services.assign_case(case, user=request.user, assignee=assignee)
    name = assignee.get_full_name() or assignee.get_username()
    return _done(request, case, _("Saken er tildelt %(name)s.") % {"name": name})


@case_action("request_information")
def request_information(request: HttpRequest, case: Case) -> HttpResponse:
    data = _valid(forms.RequestInformationForm(request.POST))
    services.request_information(
        case,
        user=request.user,
        body=data["body"],
        files=request.FILES.getlist("files"),
        answer_days=data["answer_days"],
    )
    return _done(request, case, _("Forespørselen er sendt til søkeren."))


@case_action("message")
def message(request: HttpRequest, case: Case) -> HttpResponse:
    data = _valid(forms.MessageForm(request.POST))
    services.post_staff_message(
        case, user=request.user, body=data["body"], files=request.FILES.getlist("files")
    )
    return _done(request, case, _("Meldingen er sendt."))


@case_action("hearing")
def send_to_hearing(request: HttpRequest, case: Case) -> HttpResponse:
    data = _valid(forms.NoteForm(request.POST))
    services.send_to_hearing(case, user=request.user, note=data["note"])
    return _done(request, case, _("Saken er sendt på høring."))


@case_action("hearing_response", form="hearing_response-{hearing_id}")
def hearing_response(request: HttpRequest, case: Case, hearing_id: int) -> HttpResponse:
    hearing = selectors.hearing_of(case, hearing_id)
    data = _valid(forms.HearingResponseForm(request.POST))
    services.record_hearing_response(
        hearing,
        user=request.user,
        has_remarks=data["has_remarks"] == "yes",
        response=data["response"],
    )
    return _done(request, case, _("Svaret fra %(body)s er registrert.") % {"body": hearing.label})


@case_action("decide")
def decide(request: HttpRequest, case: Case) -> HttpResponse:
    data = _valid(forms.DecisionForm(request.POST))
    services.decide_case(
        case,
        user=request.user,
        outcome=data["outcome"],
        justification=data["justification"],
        legal_basis=data["legal_basis"],
        appeal_body=data["appeal_body"],
    )
    return _done(request, case, _("Vedtaket er fattet."))


@case_action("offer")
def make_offer(request: HttpRequest, case: Case) -> HttpResponse:
    data = _valid(forms.OfferForm(request.POST))
    offer = services.make_offer(
        case,
        user=request.user,
        kindergarten_id=data["kindergarten"],
        start_date=data["start_date"],
    )
    return _done(
        request,
        case,
        _("Tilbudet om plass i %(name)s er sendt.") % {"name": offer.kindergarten_name},
    )


@case_action("claim")
def raise_claim(request: HttpRequest, case: Case) -> HttpResponse:
    """A payment claim by hand, with a reason; the amount is what the case worker typed."""
    data = _valid(forms.ClaimForm(request.POST))
    services.raise_claim(
        case,
        user=request.user,
        text=data["text"],
        amount_ore=parse_nok(data["amount"]),
        reason=data["reason"],
        due_date=data["due_date"],
    )
    return _done(request, case, _("Betalingskravet er sendt til søkeren."))
