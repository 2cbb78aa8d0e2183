"""The person's booking pages. Thin: parse, call a selector or one service, render."""

from __future__ import annotations

import functools
import uuid
from datetime import timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from iktipet.accounts.decorators import citizen_login_required
from iktipet.accounts.parties import current_party
from iktipet.booking import clock, forms, ics, links, selectors, services
from iktipet.booking.models import Reservation, Resource
from iktipet.booking.picker import picker_context, picker_page_context
from iktipet.booking.services.capacity import SlotFull
from iktipet.booking.services.paid import start_booking_payment
from iktipet.core.errors import ActionRefused
from iktipet.core.money import format_nok
from iktipet.core.ratelimit import Limit, ratelimit, user_key

POST_LIMIT = Limit(60, 60)


def _topics(resource: selectors.PickerSource) -> list[dict[str, str]]:
    if not resource.topics:
        return []
    english = (request_language() or "nb").startswith("en")
    return [
        {"value": t["value"], "label": t["en"] if english else t["nb"]} for t in resource.topics
    ]


def request_language() -> str:
    return get_language() or "nb"


def _terms(resource: selectors.PickerSource) -> SafeString:
    """What the person should know before choosing a time: the price, whether the booking
    must be approved, and until when it can be cancelled, as the list the page shows."""
    return _terms_html(
        get_language() or "",
        resource.price_rule,
        resource.price_ore,
        resource.needs_approval,
        resource.cancel_deadline_hours,
    )


@functools.lru_cache(maxsize=256)
def _terms_html(
    language: str, price_rule: str, price_ore: int, needs_approval: bool, hours: int
) -> SafeString:
    """The terms from the resource's own settings in ``language`` (the active one), made
    once per process: a template loop over them cost more than the list itself."""
    if price_rule == Resource.PriceRule.FREE or not price_ore:
        price = _("Gratis")
    elif price_rule == Resource.PriceRule.PER_HOUR:
        price = _("%(amount)s per time") % {"amount": format_nok(price_ore)}
    else:
        price = _("%(amount)s per bestilling") % {"amount": format_nok(price_ore)}
    if price_ore and price_rule != Resource.PriceRule.FREE:
        if needs_approval:
            price += ". " + _("Du betaler når bestillingen er godkjent.")
        else:
            price += ". " + _("Du betaler når du bestiller.")
    terms = [(_("Pris"), price)]
    if needs_approval:
        terms.append((_("Godkjenning"), _("Bestillingen må godkjennes før den gjelder.")))
    if hours % 24 == 0 and hours >= 48:
        deadline = _("Fram til %(days)s dager før.") % {"days": hours // 24}
    else:
        deadline = ngettext(
            "Fram til %(hours)s time før.", "Fram til %(hours)s timer før.", hours
        ) % {"hours": hours}
    terms.append((_("Avbestilling"), deadline))
    return format_html(
        '<dl class="booking-terms">{}</dl>',
        format_html_join("", "<div><dt>{}</dt><dd>{}</dd></div>", terms),
    )


def _asked_week(request: HttpRequest) -> str | None:
    # No query string (a first visit): no QueryDict made to find no "fra" in it.
    return request.GET.get("fra") if request.META.get("QUERY_STRING") else None


def _picker_page(
    request: HttpRequest,
    resource: selectors.PickerSource,
    *,
    typed: dict[str, str],
    errors: dict[str, str] | None = None,
    nearest: list[Any] | None = None,
    reservation: Reservation | None = None,
    status: int = 200,
    week: dict[str, Any] | None = None,
) -> HttpResponse:
    """``week``: ``picker_context`` already made (a visit: ``picker_page_context``)."""
    slot = typed.get("slot", "")
    chosen = forms.parse_slot(slot) if slot else None  # a first visit chose nothing
    context = {
        "title": _("Flytt timen") if reservation else resource.name,
        "resource": resource,
        "reservation": reservation,
        "topics": _topics(resource) if reservation is None else [],
        "typed": typed,
        "terms": _terms(resource) if reservation is None else "",
        "errors": errors or {},
        "nearest": [
            {"value": forms.slot_value(slot.starts_at), "start": slot.local_start}
            for slot in nearest or []
        ],
        **(
            week
            if week is not None
            else picker_context(
                resource,
                start=_asked_week(request),
                chosen=chosen,
                current=reservation.starts_at if reservation else None,
            )
        ),
    }
    return render(request, "booking/picker.html", context, status=status)


@citizen_login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "booking/index.html",
        {"title": _("Bestill time"), "resources": selectors.resources_open_for_booking()},
    )


@citizen_login_required
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit("booking.hold", POST_LIMIT, key=user_key, methods=("POST",))
def resource_page(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method != "POST":
        # The page alone: the resource's columns it shows and pages by, as plain values,
        # read with the week (one statement).
        resource, week = picker_page_context(slug, start=_asked_week(request))
        return _picker_page(request, resource, typed={}, week=week)
    resource = selectors.resource_by_slug(slug)
    typed = {name: request.POST.get(name, "") for name in ("slot", "topic", "note")}
    errors: dict[str, str] = {}
    if resource.topics and not typed["topic"]:
        errors["topic"] = _("Velg hva du trenger hjelp med.")
    starts_at = forms.parse_slot(typed["slot"])
    if starts_at is None:
        errors["slot"] = _("Velg et tidspunkt.")
    if errors or starts_at is None:
        return _picker_page(request, resource, typed=typed, errors=errors, status=400)
    try:
        held = services.hold_slot(
            resource,
            user=request.user,
            starts_at=starts_at,
            topic=typed["topic"],
            note=typed["note"],
        )
    except SlotFull as full:
        nearest = selectors.nearest_free(resource, full.starts_at)
        return _picker_page(
            request, resource, typed=typed, errors=full.errors, nearest=nearest, status=409
        )
    except ActionRefused as refused:
        errors = refused.errors_for(("slot", "topic", "note"), other="slot")
        return _picker_page(request, resource, typed=typed, errors=errors, status=400)
    return HttpResponseRedirect(reverse("booking:confirm", args=[held.pk]))


@citizen_login_required
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit("booking.confirm", POST_LIMIT, key=user_key, methods=("POST",))
def confirm(request: HttpRequest, reservation_id: uuid.UUID) -> HttpResponse:
    reservation = selectors.reservation_for_person(request.user, reservation_id)
    if reservation.status != Reservation.Status.HELD:
        return HttpResponseRedirect(reverse("booking:booking", args=[reservation.pk]))
    error = ""
    if request.method == "POST":
        if request.POST.get("action") == "release":
            services.release_hold(reservation, user=request.user)
            return HttpResponseRedirect(
                reverse("booking:resource", args=[reservation.resource.slug])
            )
        try:
            if reservation.price_ore > 0 and not reservation.resource.needs_approval:
                order = start_booking_payment(
                    reservation, user=request.user, party=current_party(request)
                )
                return HttpResponseRedirect(reverse("payments:order", args=[order.pk]))
            services.confirm_reservation(reservation, user=request.user)
        except ActionRefused as refused:
            error = refused.message
        else:
            return HttpResponseRedirect(reverse("booking:booking", args=[reservation.pk]))
    lapsed = reservation.held_until is not None and reservation.held_until < clock.now()
    return render(
        request,
        "booking/confirm.html",
        {
            "title": _("Bekreft timen"),
            "reservation": reservation,
            "error": error
            or (_("Tiden du holdt av, er utløpt. Velg et nytt tidspunkt.") if lapsed else ""),
            "topic": _topic_label(reservation),
            "price": format_nok(reservation.price_ore) if reservation.price_ore else "",
            "pay_now": reservation.price_ore > 0 and not reservation.resource.needs_approval,
        },
        status=400 if error else 200,
    )


def _topic_label(reservation: Reservation) -> str:
    for topic in _topics(reservation.resource):
        if topic["value"] == reservation.topic:
            return topic["label"]
    return ""


def _booking_page(
    request: HttpRequest,
    reservation: Reservation,
    *,
    error: str = "",
    token: str = "",
    status: int = 200,
) -> HttpResponse:
    now = clock.now()
    deadline = reservation.starts_at - timedelta(hours=reservation.resource.cancel_deadline_hours)
    context = {
        "title": _("Timen din"),
        "reservation": reservation,
        "topic": _topic_label(reservation),
        "price": format_nok(reservation.price_ore) if reservation.price_ore else "",
        # A hold that lapsed (its payment came too late) is as good as expired.
        "lapsed": reservation.status == Reservation.Status.EXPIRED
        or (
            reservation.status == Reservation.Status.HELD
            and reservation.held_until is not None
            and reservation.held_until < now
        ),
        "changeable": reservation.status in services.changes.CHANGEABLE and now <= deadline,
        "deadline": deadline,
        "error": error,
        "token": token,
    }
    return render(request, "booking/booking.html", context, status=status)


@citizen_login_required
@require_safe
def booking(request: HttpRequest, reservation_id: uuid.UUID) -> HttpResponse:
    return _booking_page(request, selectors.reservation_for_person(request.user, reservation_id))


@citizen_login_required
@require_safe
def booking_ics(request: HttpRequest, reservation_id: uuid.UUID) -> HttpResponse:
    reservation = selectors.reservation_for_person(request.user, reservation_id)
    if reservation.status in (Reservation.Status.HELD, Reservation.Status.EXPIRED):
        raise Http404
    response = HttpResponse(
        ics.booking_ics(reservation), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="time.ics"'
    return response


def _sequence(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("sequence", ""))
    except ValueError:
        return -1


@citizen_login_required
@require_POST
@ratelimit("booking.cancel", POST_LIMIT, key=user_key)
def cancel(request: HttpRequest, reservation_id: uuid.UUID) -> HttpResponse:
    reservation = selectors.reservation_for_person(request.user, reservation_id)
    try:
        services.cancel_booking(reservation, user=request.user, sequence=_sequence(request))
    except ActionRefused as refused:
        reservation.refresh_from_db()
        return _booking_page(request, reservation, error=refused.message, status=400)
    return HttpResponseRedirect(reverse("booking:booking", args=[reservation.pk]))


@citizen_login_required
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit("booking.move", POST_LIMIT, key=user_key, methods=("POST",))
def reschedule(request: HttpRequest, reservation_id: uuid.UUID) -> HttpResponse:
    reservation = selectors.reservation_for_person(request.user, reservation_id)
    resource = reservation.resource
    if reservation.status not in services.changes.CHANGEABLE or reservation.rental_id is not None:
        # A season's time is not moved alone (refused on POST too): its page says why.
        return HttpResponseRedirect(reverse("booking:booking", args=[reservation.pk]))
    if request.method != "POST":
        return _picker_page(
            request,
            resource,
            typed={"sequence": str(reservation.sequence)},
            reservation=reservation,
        )
    typed = {"slot": request.POST.get("slot", ""), "sequence": request.POST.get("sequence", "")}
    starts_at = forms.parse_slot(typed["slot"])
    if starts_at is None:
        return _picker_page(
            request,
            resource,
            typed=typed,
            reservation=reservation,
            status=400,
            errors={"slot": _("Velg et tidspunkt.")},
        )
    try:
        services.reschedule_booking(
            reservation, user=request.user, sequence=_sequence(request), starts_at=starts_at
        )
    except SlotFull as full:
        nearest = selectors.nearest_free(resource, full.starts_at)
        return _picker_page(
            request,
            resource,
            typed=typed,
            reservation=reservation,
            errors=full.errors,
            nearest=nearest,
            status=409,
        )
    except ActionRefused as refused:
        return _picker_page(
            request,
            resource,
            typed=typed,
            reservation=reservation,
            status=400,
            errors=refused.errors_for(("slot",), other="slot"),
        )
    return HttpResponseRedirect(reverse("booking:booking", args=[reservation.pk]))


@citizen_login_required
@require_safe
def manage_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in a confirmation: the person's own booking, as long as it has not changed
    since the link was sent (an older link — and anyone else's — is refused)."""
    found = links.read_token(token)
    if found is None:
        raise Http404
    reservation = selectors.reservation_for_person(request.user, found[0])
    if reservation.sequence != found[1]:
        return render(
            request,
            "booking/stale_link.html",
            {"title": _("Lenken gjelder ikke lenger"), "reservation": reservation},
            status=410,
        )
    return _booking_page(request, reservation)
