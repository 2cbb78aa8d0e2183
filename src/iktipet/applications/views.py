"""Pages of the application journey. Thin: parse, call a service or selector, render."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from iktipet.accounts import loa
from iktipet.accounts.links import switch_for_link
from iktipet.accounts.parties import ORGANISATION, ActingParty, current_party, for_self
from iktipet.applications import selectors, services
from iktipet.applications.addresses import application_url
from iktipet.applications.engine.journey import Journey
from iktipet.applications.fields.html import live_fields_html
from iktipet.applications.models import Application, Received
from iktipet.applications.preview import preview_fields
from iktipet.applications.representation import may_apply_for
from iktipet.applications.summary_html import applicant_html, sections_html, summary_texts
from iktipet.catalog import plugins
from iktipet.catalog.schema import FormService, FormStep
from iktipet.core.errors import ActionRefused
from iktipet.core.money import format_nok
from iktipet.core.ratelimit import Limit, ratelimit
from iktipet.documents.downloads import stored_file_download
from iktipet.payments import services as payments

FROM_SUMMARY = "oppsummering"


def _login(request: HttpRequest, level: str = loa.DEFAULT_LEVEL) -> HttpResponse | None:
    from iktipet.accounts import citizen_login_redirect

    return citizen_login_redirect(request, level)


def _actor(request: HttpRequest) -> tuple[Any, ActingParty]:
    return request.user, current_party(request)


def _application(
    request: HttpRequest, application_id: uuid.UUID, *, page: bool = False
) -> tuple[Application | None, HttpResponse | None]:
    """The application for this actor, after login at its service's level. ``page``: only
    the columns a step or the summary shows (``selectors.PAGE_FIELDS``)."""
    redirect = _login(request)
    if redirect is not None:
        return None, redirect
    user, party = _actor(request)
    try:
        application = selectors.application_for_actor(user, party, application_id, page=page)
    except Http404:
        application = _application_of_other_party(request, application_id)
    definition = application.service_version.definition_model
    if application.party_kind == Application.PartyKind.ORGANISATION:
        _check_representation(user, application.party_identifier, definition)
    if definition.login_level == loa.DEFAULT_LEVEL:  # asked above already
        return application, None
    return application, _login(request, definition.login_level)


def _application_of_other_party(request: HttpRequest, application_id: uuid.UUID) -> Application:
    """A link from Min side (which lists every party's) to an application of another party
    the person may act for: switch to it with a notice, on reading a page only; else 404."""
    owner = None
    if request.method in ("GET", "HEAD"):
        owner = selectors.owner_of_application(request.user, application_id)
    party = switch_for_link(request, *owner) if owner is not None else None
    if party is None:
        raise Http404
    return selectors.application_for_actor(request.user, party, application_id)


def _check_representation(user: Any, orgnr: str, definition: Any) -> None:
    """Every request on an organisation's application asks again (through a short cache)
    whether the person holds a role this service accepts; 404 when not, or not known now."""
    from iktipet.accounts.registers import RegisterFailed

    try:
        allowed = may_apply_for(user, orgnr, definition)
    except RegisterFailed:
        allowed = False
    if not allowed:
        raise Http404


def with_application(
    view: Callable[..., HttpResponse], *, page: bool = False
) -> Callable[..., HttpResponse]:
    """Resolve ``application_id`` to the actor's application (after login) for the view.
    ``page``: a GET reads only what a step or the summary shows (``with_page_application``)."""

    @functools.wraps(view)
    def wrapped(
        request: HttpRequest, *args: Any, application_id: uuid.UUID, **kwargs: Any
    ) -> HttpResponse:
        slim = page and request.method in ("GET", "HEAD")
        application, redirect = _application(request, application_id, page=slim)
        if redirect is not None:
            return redirect
        assert application is not None
        return view(request, application, *args, **kwargs)

    return wrapped


def with_page_application(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``with_application`` for the step and the summary, read on every page of a journey:
    a GET reads the application without the columns those pages never show (issue 13); a
    POST, which saves or submits, reads it whole."""
    return with_application(view, page=True)


def _step_url(application: Application, step_id: str, from_summary: bool = False) -> str:
    url = application_url("step", application.pk, step_id)
    return f"{url}?fra={FROM_SUMMARY}" if from_summary else url


def _receipt_redirect(application: Application) -> HttpResponse:
    return HttpResponseRedirect(application_url("receipt", application.pk))


def _resume_url(application: Application, journey: Journey | None = None) -> str:
    """Where a draft continues: the step it was left at (the first step if that is gone).
    ``journey``: the one this request built for the stored answers, if any."""
    if not application.is_draft:
        return reverse("applications:receipt", args=[application.pk])
    if journey is None:
        journey = Journey.for_answers(
            application.service_version.definition_model, application.answers
        )
    ids = journey.ids
    if application.current_step in ids:
        return _step_url(application, application.current_step)
    if ids:
        return _step_url(application, ids[0])
    return reverse("applications:summary", args=[application.pk])


# --- start ------------------------------------------------------------------------------------


def _choose_party_redirect(request: HttpRequest, definition: FormService) -> HttpResponse:
    query = urlencode({"tjeneste": definition.id, "next": request.path})
    return HttpResponseRedirect(f"{reverse('accounts:choose_party')}?{query}")


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit("applications.start", Limit(30, 60), methods=("POST",))
def start(request: HttpRequest, service_id: str) -> HttpResponse:
    """``/soknad/<service>/start/``: log in at the service's level, choose the party, begin."""
    from iktipet.accounts.registers import RegisterFailed
    from iktipet.catalog.presentation import unavailable_reasons
    from iktipet.catalog.selectors import current_version, published_service

    service = published_service(service_id)
    version = current_version(service)
    definition = version.definition_model
    if not isinstance(definition, FormService):
        raise Http404
    redirect = _login(request, definition.login_level)
    if redirect is not None:
        return redirect
    user, party = _actor(request)
    if definition.audience == "person":
        party = for_self(user)
    elif definition.audience == "organisation" and not party.is_organisation:
        return _choose_party_redirect(request, definition)
    if party.is_organisation:
        # The roles this service accepts, from its definition: the party may have been chosen
        # for another service, or under the platform default.
        try:
            if not may_apply_for(user, party.identifier, definition):
                return _choose_party_redirect(request, definition)
        except RegisterFailed as exc:
            return render(
                request,
                "applications/start.html",
                {
                    "title": definition.title.get(),
                    "definition": definition,
                    "register_error": str(exc),
                },
                status=503,
            )
    unavailable = unavailable_reasons(definition)
    if request.method == "POST" and not unavailable:
        try:
            token = uuid.UUID(request.POST.get("start_token", ""))
        except ValueError:
            token = None
        application = services.start_application(
            user=user, party=party, version=version, start_token=token
        )
        return HttpResponseRedirect(_resume_url(application))
    drafts = [
        draft
        for draft in selectors.drafts_for_actor(user, party)
        if draft.service_id == definition.id
    ]
    context = {
        "title": definition.title.get(),
        "definition": definition,
        "party": party,
        "applicant_html": applicant_html(
            kind=party.kind,
            name=party.name,
            orgnr=party.identifier,
            audience=definition.audience,
            change_url=f"{_choose_party_url()}?tjeneste={definition.id}&next={request.path}",
        ),
        "acting_for_organisation": party.kind == ORGANISATION,
        "drafts": drafts,
        "start_token": uuid.uuid4(),
        "unavailable": unavailable,
    }
    return render(request, "applications/start.html", context)


# --- steps ------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit("applications.step", Limit(120, 60), methods=("POST",))
@with_page_application
def step(request: HttpRequest, application: Application, step_id: str) -> HttpResponse:
    if not application.is_draft:
        return _receipt_redirect(application)
    user, party = _actor(request)
    definition = application.service_version.definition_model
    stored = Journey.for_answers(definition, application.answers)
    current = definition.step(step_id)
    if current is None or not stored.shows(current):
        return HttpResponseRedirect(_resume_url(application, stored))
    # request.GET parses the query string into a QueryDict: not when there is none.
    query = request.META.get("QUERY_STRING")
    from_summary = bool(query) and request.GET.get("fra") == FROM_SUMMARY
    if not isinstance(current, FormStep):
        return _plugin_step(request, application, current, stored, from_summary)
    if request.method == "POST":
        shown = set(request.POST.getlist("_shown")) if "_shown" in request.POST else None
        try:
            outcome = services.save_step(
                application,
                current,
                user=user,
                party=party,
                data=request.POST,
                files=request.FILES,
                action=request.POST.get("_action", "next"),
                shown=shown,
            )
        except services.Incomplete:  # submitted meanwhile in another tab
            return _receipt_redirect(application)
        if outcome.go == "saved":
            messages.success(
                request,
                _("Utkastet er lagret. Du finner det på Min side til og med %(date)s.")
                % {"date": _expiry_text()},
            )
            return HttpResponseRedirect(_my_page_url())
        if outcome.go == "back":
            previous = outcome.journey.before(current.id)
            if previous is None:
                return HttpResponseRedirect(reverse("applications:start", args=[definition.id]))
            return HttpResponseRedirect(_step_url(application, previous.id))
        if outcome.go == "stop":
            return HttpResponseRedirect(reverse("applications:stopped", args=[application.pk]))
        if outcome.go in ("next", "summary"):
            if _open_elsewhere_unseen(application, definition, current, request.POST):
                # Shown once on the step where it was answered, then the person may go on.
                return HttpResponseRedirect(_step_url(application, current.id, from_summary))
            if outcome.go == "summary" or from_summary:
                return HttpResponseRedirect(application_url("summary", application.pk))
            return HttpResponseRedirect(_step_url(application, outcome.next_step))
        page: services.StepPage = outcome  # "stay": the step again, with what was posted
    else:
        page = services.prepare_step(application, current, user=user, party=party, journey=stored)
    form, journey = page.form, page.journey
    # Without JavaScript an answer's new questions come with the page: say so at the top.
    posted_shown = shown if request.method == "POST" else None
    fields = form.bound_fields(attachments=form.ctx.attachments)
    revealed = [
        bound
        for bound in fields
        if posted_shown is not None and bound.visible and bound.spec.id not in posted_shown
    ]
    progress = journey.progress(current.id)
    language = get_language()  # asked once for the page's texts (a context variable's read)
    context = {
        "title": current.title.get(language),
        "service_title": definition.title.get(language),
        "application": application,
        "definition": definition,
        "step": current,
        "intro": journey.evaluator.text(current.intro) if current.intro else "",
        "fields_html": live_fields_html(fields, form.shown_ids(), language),
        "live_url": application_url("preview", application.pk, current.id),
        "errors": form.errors,
        "warnings": form.warnings,
        "warning_ids": form.warning_ids,
        "progress": _("Steg %(number)s av %(total)s") % progress,
        "has_previous": journey.before(current.id) is not None,
        "to_summary": from_summary or journey.is_last(current.id),
        "revealed": revealed,
        "revealed_names": ", ".join(f"«{bound.label}»" for bound in revealed if bound.label),
        **_open_elsewhere(application, definition, current),
    }
    return render(request, "applications/step.html", context)


#: Posted back by a step that showed the open-application warning: the ids it named.
OPEN_SEEN = "_open_seen"


def _open_elsewhere(
    application: Application, definition: FormService, step: FormStep | None = None
) -> dict[str, Any]:
    """The warning of ``one_open_per`` (on its field's step, or the summary if no step):
    other open applications of this person with the same answer, with links to them."""
    rule = definition.one_open_per
    if rule is None or (step is not None and rule.field not in {f.id for f in step.fields}):
        return {}
    others = selectors.open_with_same_answer(application, rule.field)
    if not others:
        return {}
    links = []
    for other in others:
        if other.is_draft:
            url = reverse("applications:resume", args=[other.pk])
        else:
            url = reverse("applications:receipt", args=[other.pk])
        links.append({"application": other, "url": url})
    return {"open_elsewhere": rule.warning.get(), "open_elsewhere_links": links}


def _open_elsewhere_unseen(
    application: Application, definition: FormService, step: FormStep, data: Any
) -> bool:
    found = _open_elsewhere(application, definition, step)
    if not found:
        return False
    seen = set(data.getlist(OPEN_SEEN))
    return any(str(link["application"].pk) not in seen for link in found["open_elsewhere_links"])


@require_POST
@ratelimit("applications.preview", Limit(240, 60))
@with_application
def preview(request: HttpRequest, application: Application, step_id: str) -> HttpResponse:
    """The step's fields for what the page holds now (the live questions' script): the
    same rules as saving, nothing saved. Another person's draft is 404, as everywhere."""
    definition = application.service_version.definition_model
    current = definition.step(step_id)
    if not application.is_draft or not isinstance(current, FormStep):
        raise Http404
    user, party = _actor(request)
    shown = set(request.POST.getlist("_shown")) if "_shown" in request.POST else None
    fields, shown_ids = preview_fields(
        application, current, user=user, party=party, data=request.POST, shown=shown
    )
    return HttpResponse(live_fields_html(fields, shown_ids))


def _plugin_step(
    request: HttpRequest,
    application: Application,
    current: Any,
    journey: Journey,
    from_summary: bool,
) -> HttpResponse:
    """A step another app renders through its registered plugin (a booking step): the
    plugin's fragment inside the engine's page, its POST saved as the step's answer."""
    user = request.user
    plugin = plugins.plugin_for(current.kind)
    assert plugin is not None  # the journey shows only steps whose plugin is registered
    answer = application.answers.get(plugins.answer_key(current))
    action = request.POST.get("_action", "next") if request.method == "POST" else ""
    typed: dict[str, str] = {}
    saved = plugins.StepSaved()
    if action == "back":
        previous = journey.before(current.id)
        if previous is None:
            return HttpResponseRedirect(
                reverse("applications:start", args=[application.service_id])
            )
        return HttpResponseRedirect(_step_url(application, previous.id))
    if action in ("next", "save"):
        typed = {key: request.POST.get(key, "") for key in request.POST if not key.startswith("_")}
        typed.pop("csrfmiddlewaretoken", None)
        if action == "save" and not typed.get("slot"):
            saved = plugins.StepSaved(answer=answer)
        else:
            saved = plugin.save(current, answer, user=user, data=typed, answers=application.answers)
        if not saved.errors:
            following = journey.after(current.id)
            go_on = action == "next" and not plugin.problem(current, saved.answer, user=user)
            next_id = following.id if go_on and following else current.id
            try:
                services.save_plugin_answer(application, current, saved.answer, next_id)
            except services.Incomplete:  # submitted meanwhile in another tab
                return _receipt_redirect(application)
            if action == "save":
                messages.success(
                    request,
                    _("Utkastet er lagret. Du finner det på Min side til og med %(date)s.")
                    % {"date": _expiry_text()},
                )
                return HttpResponseRedirect(_my_page_url())
            if go_on:
                if from_summary or following is None:
                    return HttpResponseRedirect(
                        reverse("applications:summary", args=[application.pk])
                    )
                return HttpResponseRedirect(_step_url(application, following.id))
            answer = saved.answer
    context = {
        "title": current.title.get(),
        "application": application,
        "definition": application.service_version.definition_model,
        "step": current,
        "intro": journey.evaluator.text(current.intro) if current.intro else "",
        "errors": [{"anchor": name, "message": text} for name, text in saved.errors.items()],
        "field_errors": saved.errors,
        "progress": journey.progress(current.id),
        "has_previous": journey.before(current.id) is not None,
        "from_summary": from_summary,
        "is_last": journey.is_last(current.id),
        "plugin_template": plugin.template_name,
        **plugin.page_context(current, answer, user=user, page=request.GET.get("uke"), typed=typed),
        **saved.context,
    }
    status = saved.status if saved.errors else 200
    return render(request, "applications/plugin_step.html", context, status=status)


def _choose_party_url() -> str:
    try:
        return reverse("accounts:choose_party")
    except NoReverseMatch:  # accounts not mounted (tests of this app alone)
        return ""


def _my_page_url() -> str:
    try:
        return reverse("accounts:my_page")
    except Exception:  # accounts not mounted (tests of this app alone)
        return "/min-side/"


def _expiry_text() -> str:
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone
    from django.utils.formats import date_format

    day = timezone.localdate() + timedelta(days=settings.DRAFT_RETENTION_DAYS)
    return date_format(day, "SHORT_DATE_FORMAT")


# --- summary, submit, receipt -----------------------------------------------------------------


@require_safe
@with_page_application
def summary(request: HttpRequest, application: Application) -> HttpResponse:
    if not application.is_draft:
        return _receipt_redirect(application)
    return _summary_page(request, application)


def _summary_page(
    request: HttpRequest,
    application: Application,
    *,
    pay_error: str = "",
    changed: bool = False,
    status: int = 200,
) -> HttpResponse:
    user, party = _actor(request)
    definition = application.service_version.definition_model
    checked, ctx = services.review(application, user=user, party=party)
    from iktipet.applications.engine.journey import summary_sections

    fee = services.fee_for(checked)
    sections = summary_sections(
        definition, checked.answers, ctx, user=user, evaluator=checked.answers_evaluator
    )
    last_step = Journey.of(definition, checked.evaluator).last
    for section in sections:
        section["change_url"] = _step_url(application, section["step_id"], from_summary=True)
    lines = services.fee_lines_for(checked) or []
    pay_first = bool(fee) and services.fee_due_at_application(application)
    texts = summary_texts()
    context = {
        "title": texts["title"],
        "application": application,
        "definition": definition,
        "applicant_html": applicant_html(
            kind=application.party_kind,
            name=application.party_name or user.get_full_name(),
            orgnr=application.party_identifier,
            audience=definition.audience,
            texts=texts,
        ),
        "sections": sections,
        "sections_html": sections_html(sections, texts),
        "submit_url": application_url("submit", application.pk),
        "incomplete": [
            {
                "title": step.title.get(),
                "url": _step_url(application, step.id, True),
                "problem": checked.problems.get(step.id, ""),
            }
            for step in checked.incomplete
        ],
        "stopped": checked.stop is not None,
        "warnings": checked.warnings,
        "fee": format_nok(fee) if fee else "",
        "fee_unknown": fee is None,
        "fee_description": definition.fee.description.get() if definition.fee else "",
        "fee_lines": [{"text": line.text, "amount": format_nok(line.amount_ore)} for line in lines],
        "fee_after_decision": bool(fee) and not pay_first,
        "pay_first": pay_first,
        "providers": services.providers_for(application) if pay_first else [],
        "pay_error": pay_error,
        # After a refusal the choice made stays chosen (an unknown one chooses nothing).
        "chosen_provider": request.POST.get("provider", "") if pay_error else "",
        "last_step_url": _step_url(application, last_step.id) if last_step else "",
        # What this summary shows; a submit from it checks the draft still has it.
        "version": services.draft_version(application),
        "changed": changed,
        **_open_elsewhere(application, definition),
    }
    return render(request, "applications/summary.html", context, status=status)


@require_POST
@ratelimit("applications.submit", Limit(20, 60))
@with_application
def submit(request: HttpRequest, application: Application) -> HttpResponse:
    return _submit_now(request, application, version=request.POST.get("version"))


def _submit_now(
    request: HttpRequest, application: Application, *, version: str | None = None
) -> HttpResponse:
    user, party = _actor(request)
    try:
        submitted = services.submit_application(
            application, user=user, party=party, version=version
        )
    except services.DraftChanged:
        # Changed in another tab since this summary: show what would now be sent instead.
        application.refresh_from_db()
        return _summary_page(request, application, changed=True, status=409)
    except services.Incomplete as exc:
        return _incomplete_redirect(request, application, exc)
    except services.PaymentRequired:
        # Only "Betal og send inn" submits a draft whose fee is paid first.
        messages.error(request, _("Du må betale gebyret før søknaden kan sendes inn."))
        return HttpResponseRedirect(reverse("applications:summary", args=[application.pk]))
    return _receipt_redirect(submitted)


def _incomplete_redirect(
    request: HttpRequest, application: Application, exc: services.Incomplete
) -> HttpResponse:
    if exc.stopped:
        return HttpResponseRedirect(reverse("applications:stopped", args=[application.pk]))
    messages.error(
        request, exc.message or _("Søknaden er ikke ferdig utfylt. Se over dette steget.")
    )
    return HttpResponseRedirect(_step_url(application, exc.step_id, from_summary=True))


@require_POST
@ratelimit("applications.pay", Limit(20, 60))
@with_application
def pay(request: HttpRequest, application: Application) -> HttpResponse:
    """ "Betal og send inn": the order for the draft's fee (its amount from the service's
    rules on the server), then the chosen provider. Only the provider comes from the form."""
    if not application.is_draft:
        return _receipt_redirect(application)
    user, party = _actor(request)
    try:
        order = services.order_for_draft(application, user=user, party=party)
    except services.Incomplete as exc:
        return _incomplete_redirect(request, application, exc)
    if order is None:  # nothing to pay first: a fee of 0 is submitted at once
        return _submit_now(request, application)
    try:
        provider = services.chosen_provider(application, request.POST.get("provider", ""))
        url = payments.start_payment(
            order,
            provider=provider,
            user=user,
            party=party,
            base_url=request.build_absolute_uri("/"),
        )
    except ActionRefused as refused:
        if refused.code == "paid":  # paid meanwhile (another tab): its receipt, or the order
            return HttpResponseRedirect(reverse("payments:order", args=[order.pk]))
        return _summary_page(request, application, pay_error=refused.message, status=400)
    return HttpResponseRedirect(url)


@require_safe
@with_application
def receipt(request: HttpRequest, application: Application) -> HttpResponse:
    if application.is_draft:
        return HttpResponseRedirect(_resume_url(application))
    from iktipet.applications.receipt import receipt_context

    context = receipt_context(application)
    context.update(
        {
            "title": _("Søknaden er sendt"),
            "application": application,
            "processing_time": (application.summary or {}).get("processing_time", ""),
            "my_page_url": _my_page_url(),
            "handed_over": _handed_over(application),
        }
    )
    return render(request, "applications/receipt.html", context)


def _handed_over(application: Application) -> dict[str, Any]:
    """What the case destination reported (case number, where to follow it), if anything."""
    received = Received.objects.filter(application=application).only("details").first()
    return received.details if received is not None else {}


@require_safe
@with_application
def receipt_pdf(request: HttpRequest, application: Application) -> HttpResponse:
    if application.is_draft:
        raise Http404
    from iktipet.applications.receipt import receipt_pdf as pdf_bytes

    response = HttpResponse(pdf_bytes(application), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="kvittering-{application.reference}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def attachment(request: HttpRequest, attachment_id: uuid.UUID) -> HttpResponse:
    redirect = _login(request)
    if redirect is not None:
        return redirect
    user, party = _actor(request)
    found = selectors.attachment_for_actor(user, party, attachment_id)
    owner = found.application
    if owner.party_kind == Application.PartyKind.ORGANISATION:
        definition = owner.service_version.definition_model
        _check_representation(user, owner.party_identifier, definition)
    return stored_file_download(found)


# --- drafts -----------------------------------------------------------------------------------


@require_safe
@with_application
def resume(request: HttpRequest, application: Application) -> HttpResponse:
    return HttpResponseRedirect(_resume_url(application))


@require_safe
@with_application
def stopped(request: HttpRequest, application: Application) -> HttpResponse:
    if not application.is_draft:
        return _receipt_redirect(application)
    definition = application.service_version.definition_model
    journey = Journey.for_answers(definition, application.answers)
    evaluator = journey.evaluator
    rule, at = None, None
    for candidate in journey.steps:
        rule = evaluator.stop_rule(candidate)
        if rule is not None:
            at = candidate
            break
    if rule is None or at is None:
        return HttpResponseRedirect(_resume_url(application, journey))
    context = {
        "title": rule.title.get(),
        "application": application,
        "definition": definition,
        "message": evaluator.text(rule.message),
        "change_url": _step_url(application, at.id),
    }
    return render(request, "applications/stopped.html", context)


@require_POST
@with_application
def delete(request: HttpRequest, application: Application) -> HttpResponse:
    if not application.is_draft:
        return _receipt_redirect(application)
    services.delete_draft(application, user=request.user)
    messages.success(request, _("Utkastet er slettet."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(next_url)
    return HttpResponseRedirect(_my_page_url())
