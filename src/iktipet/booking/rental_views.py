"""Pages for renting premises every week: the request (checked date by date before it is
sent), the person's view of it, and staff's approve or reject. Thin: parse, call, render."""

from __future__ import annotations

import uuid
from datetime import date, time
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from iktipet.accounts.decorators import citizen_login_required, staff_required
from iktipet.accounts.parties import current_party
from iktipet.booking import rental as rental_rules
from iktipet.booking import selectors
from iktipet.booking.models import RentalRequest, Resource
from iktipet.booking.services import rental as rental_services
from iktipet.core.errors import ActionRefused
from iktipet.core.money import format_nok
from iktipet.core.ratelimit import Limit, ratelimit, user_key

FIELDS = ("weekday", "starts", "ends", "first_date", "last_date", "note")


def _weekdays() -> list[tuple[str, str]]:
    names = [_("mandag"), _("tirsdag"), _("onsdag"), _("torsdag"), _("fredag")]
    names += [_("lørdag"), _("søndag")]
    return [(str(number), name) for number, name in enumerate(names)]


def _parse(typed: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The typed values as the service wants them, or an error per field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"note": typed["note"]}
    if typed["weekday"] not in {str(number) for number in range(7)}:
        errors["weekday"] = _("Velg en ukedag.")
    else:
        values["weekday"] = int(typed["weekday"])
    for name in ("starts", "ends"):
        try:
            moment = time.fromisoformat(typed[name])
        except ValueError:
            moment = None
        # Whole minutes in local time: a zone ("18:00+01:00") made the times incomparable
        # (a 500), and seconds never match a slot's start.
        if moment is None or moment.tzinfo is not None or moment.second or moment.microsecond:
            errors[name] = _("Skriv klokkeslettet som tt:mm, for eksempel 18:00.")
        else:
            values[name] = moment
    for name, key in (("first_date", "first"), ("last_date", "last")):
        try:
            values[key] = date.fromisoformat(typed[name])
        except ValueError:
            errors[name] = _("Skriv datoen som åååå-mm-dd, for eksempel 2027-03-02.")
    return values, errors


def _rentable(slug: str) -> Resource:
    resource = selectors.resource_by_slug(slug)
    if resource.price_rule != Resource.PriceRule.PER_HOUR or not resource.needs_approval:
        raise Http404
    return resource


def _form_page(
    request: HttpRequest,
    resource: Resource,
    *,
    typed: dict[str, str],
    errors: dict[str, str] | None = None,
    checks: list[Any] | None = None,
    exemption: str = "",
    status: int = 200,
) -> HttpResponse:
    free = [check for check in checks or [] if check.free]
    hours = None
    total = ""
    if checks and "starts" in typed:
        values, _errors = _parse(typed)
        if not _errors:
            hours = rental_rules.hours_of(values["starts"], values["ends"])
            per_date = rental_rules.price_per_date(
                resource.price_ore, values["starts"], values["ends"]
            )
            price = 0 if exemption else per_date * len(free)
            total = format_nok(price)
    context = {
        "title": _("Lei %(name)s fast hver uke") % {"name": resource.name},
        "resource": resource,
        "party": current_party(request),
        "weekdays": _weekdays(),
        "typed": typed,
        "errors": errors or {},
        "checks": checks,
        "free_count": len(free),
        "exemption": exemption,
        "hourly": format_nok(resource.price_ore),
        "hours": hours,
        "total": total,
    }
    return render(request, "booking/rental_form.html", context, status=status)


@citizen_login_required
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit("booking.rental", Limit(30, 60), key=user_key, methods=("POST",))
def rental_form(request: HttpRequest, slug: str) -> HttpResponse:
    resource = _rentable(slug)
    if request.method != "POST":
        empty = dict.fromkeys(FIELDS, "")
        return _form_page(request, resource, typed=empty)
    typed = {name: request.POST.get(name, "")[:1000].strip() for name in FIELDS}
    values, errors = _parse(typed)
    if errors:
        return _form_page(request, resource, typed=typed, errors=errors, status=400)
    party = current_party(request)
    try:
        if request.POST.get("action") != "send":
            checks, exemption = rental_services.preview_rental(resource, party=party, **values)
            return _form_page(request, resource, typed=typed, checks=checks, exemption=exemption)
        created = rental_services.request_rental(resource, user=request.user, party=party, **values)
    except ActionRefused as refused:
        placed = refused.errors_for(FIELDS, other="weekday")
        return _form_page(request, resource, typed=typed, errors=placed, status=400)
    messages.success(request, _("Forespørselen er sendt. Du får beskjed når den er behandlet."))
    return HttpResponseRedirect(reverse("booking:rental", args=[created.pk]))


def _request_context(request_row: RentalRequest) -> dict[str, Any]:
    return {
        "rental": request_row,
        "dates": list(request_row.dates.all()),
        "total": format_nok(request_row.total_ore),
        "hourly": format_nok(request_row.price_per_hour_ore),
    }


@citizen_login_required
@require_safe
def rental(request: HttpRequest, rental_id: uuid.UUID) -> HttpResponse:
    found = (
        RentalRequest.objects.select_related("resource__agency")
        .filter(pk=rental_id, user=request.user)
        .first()
    )
    if found is None:  # another person's request is not found, as if it did not exist
        raise Http404
    context = {"title": _("Forespørsel om leie"), **_request_context(found)}
    return render(request, "booking/rental.html", context)


@citizen_login_required
@require_POST
@ratelimit("booking.rental", Limit(30, 60), key=user_key)
def withdraw(request: HttpRequest, rental_id: uuid.UUID) -> HttpResponse:
    found = RentalRequest.objects.filter(pk=rental_id, user=request.user).first()
    if found is None:
        raise Http404
    try:
        rental_services.withdraw_rental(found, user=request.user)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Forespørselen er trukket, og datoene er gitt tilbake."))
    return HttpResponseRedirect(reverse("booking:rental", args=[found.pk]))


@staff_required
@require_safe
def staff_rentals(request: HttpRequest, slug: str) -> HttpResponse:
    resource = selectors.resource_for_staff(request.user, slug)
    rows = RentalRequest.objects.filter(resource=resource).select_related("user")[:200]
    context = {
        "title": _("Forespørsler om fast leie"),
        "resource": resource,
        "requests": [_request_context(row) for row in rows],
    }
    return render(request, "booking/staff_rentals.html", context)


@staff_required
@require_POST
@ratelimit("booking.staff", Limit(120, 60), key=user_key)
def staff_rental_action(request: HttpRequest, rental_id: uuid.UUID, action: str) -> HttpResponse:
    found = RentalRequest.objects.select_related("resource__agency").filter(pk=rental_id).first()
    if found is None or not selectors.may_manage(request.user, found.resource):
        raise Http404
    if action not in ("godkjenn", "avslaa"):
        raise Http404
    try:
        rental_services.decide_rental(found, user=request.user, approve=action == "godkjenn")
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Forespørselen er godkjent.")
            if action == "godkjenn"
            else _("Forespørselen er avslått."),
        )
    return HttpResponseRedirect(reverse("booking:staff_rentals", args=[found.resource.slug]))
