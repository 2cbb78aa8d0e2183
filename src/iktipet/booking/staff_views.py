"""Staff pages: a day or week agenda per resource, closures, approvals, no-shows, and the
resource's calendar feed at a secret, rotatable address."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from iktipet.accounts.decorators import staff_required
from iktipet.booking import clock, ics, selectors, services, timetable
from iktipet.booking.models import Reservation, Resource
from iktipet.core.errors import ActionRefused
from iktipet.core.ratelimit import Limit, ratelimit, user_key


@staff_required
@require_safe
def resources(request: HttpRequest) -> HttpResponse:
    found = selectors.resources_for_staff(request.user)
    return render(
        request, "booking/staff_resources.html", {"title": _("Timebestilling"), "resources": found}
    )


def _agenda_page(
    request: HttpRequest,
    resource: Resource,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timetable.today_local(clock.now())
    try:
        first = date.fromisoformat(request.GET.get("dag", ""))
    except ValueError:
        first = today
    week = request.GET.get("visning") == "uke"
    if week:
        first -= timedelta(days=first.weekday())
    count = 7 if week else 1
    start = timetable.local_instant(first, timetable.time(0))
    end = timetable.local_instant(first + timedelta(days=count), timetable.time(0))
    bookings = list(selectors.agenda(resource, start, end))
    days = []
    for offset in range(count):
        day = first + timedelta(days=offset)
        days.append(
            {
                "date": day,
                "bookings": [b for b in bookings if timetable.today_local(b.starts_at) == day],
            }
        )
    step = timedelta(days=count)
    view = "uke" if week else "dag"
    context = {
        "title": resource.name,
        "resource": resource,
        "days": days,
        "week": week,
        "previous": f"?dag={(first - step).isoformat()}&visning={view}",
        "next": f"?dag={(first + step).isoformat()}&visning={view}",
        "other_view": f"?dag={first.isoformat()}&visning={'dag' if week else 'uke'}",
        "feed_url": request.build_absolute_uri(reverse("booking:feed", args=[resource.feed_token])),
        "errors": errors or {},
        "typed": typed or {},
    }
    return render(request, "booking/staff_agenda.html", context, status=status)


@staff_required
@require_safe
def agenda(request: HttpRequest, slug: str) -> HttpResponse:
    return _agenda_page(request, selectors.resource_for_staff(request.user, slug))


@staff_required
@require_POST
@ratelimit("booking.staff", Limit(120, 60), key=user_key)
def closure(request: HttpRequest, slug: str) -> HttpResponse:
    resource = selectors.resource_for_staff(request.user, slug)
    typed = {"date": request.POST.get("date", ""), "reason": request.POST.get("reason", "")}
    try:
        day = date.fromisoformat(typed["date"])
    except ValueError:
        day = None
    try:
        services.add_closure(resource, user=request.user, day=day, reason=typed["reason"])
    except ActionRefused as refused:
        errors = refused.errors_for(("date", "reason"), other="date")
        return _agenda_page(request, resource, errors=errors, typed=typed, status=400)
    messages.success(request, _("Dagen er stengt. De som hadde time, har fått beskjed."))
    return HttpResponseRedirect(reverse("booking:staff_agenda", args=[resource.slug]))


@staff_required
@require_POST
def rotate_feed(request: HttpRequest, slug: str) -> HttpResponse:
    resource = selectors.resource_for_staff(request.user, slug)
    services.rotate_feed_token(resource, user=request.user)
    messages.success(request, _("Kalenderlenken er byttet. Den gamle lenken virker ikke lenger."))
    return HttpResponseRedirect(reverse("booking:staff_agenda", args=[resource.slug]))


@staff_required
@require_POST
@ratelimit("booking.staff", Limit(120, 60), key=user_key)
def booking_action(request: HttpRequest, reservation_id: uuid.UUID, action: str) -> HttpResponse:
    reservation = selectors.reservation_for_staff(request.user, reservation_id)
    try:
        if action == "godkjenn":
            services.decide_booking(reservation, user=request.user, approve=True)
        elif action == "avslaa":
            services.decide_booking(reservation, user=request.user, approve=False)
        elif action == "ikke-mott":
            services.mark_no_show(reservation, user=request.user)
        elif action == "avbestill":
            services.cancel_booking(
                reservation,
                user=request.user,
                sequence=reservation.sequence,
                by_staff=True,
                reason=request.POST.get("reason", "")[:200],
            )
        else:
            raise Http404
    except ActionRefused as refused:
        messages.error(request, refused.message)
    day = timetable.today_local(reservation.starts_at).isoformat()
    return HttpResponseRedirect(
        reverse("booking:staff_agenda", args=[reservation.resource.slug]) + f"?dag={day}"
    )


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The resource's bookings for calendar programs: the address is the secret."""
    resource = selectors.resource_by_feed_token(token)
    now = clock.now()
    bookings = selectors.agenda(resource, now - timedelta(days=30), now + timedelta(days=400))
    bookings = bookings.filter(
        status__in=(Reservation.Status.CONFIRMED, Reservation.Status.PENDING)
    )
    response = HttpResponse(
        ics.feed_ics(resource, bookings), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response
