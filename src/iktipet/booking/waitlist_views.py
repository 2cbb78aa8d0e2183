"""The waitlist pages: the full times of the coming two weeks to wait for, and the
person's own places in line (to leave). Thin: parse, call a service, render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from iktipet.accounts.decorators import citizen_login_required
from iktipet.booking import clock, forms, selectors, timetable
from iktipet.booking.models import Resource, WaitlistEntry
from iktipet.booking.services import waitlist
from iktipet.core.errors import ActionRefused
from iktipet.core.ratelimit import Limit, ratelimit, user_key

DAYS = 14


def _page(
    request: HttpRequest,
    resource: Resource,
    *,
    chosen: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    now = clock.now()
    days = selectors.availability(resource, timetable.today_local(now), DAYS, now=now)
    full = [
        {"value": forms.slot_value(item.slot.starts_at), "start": item.slot.starts_at}
        for day in days
        for item in day.slots
        if item.free <= 0 and item.bookable
    ]
    mine = [
        {"entry": entry, "position": waitlist.position(entry)}
        for entry in WaitlistEntry.objects.filter(
            resource=resource,
            user=request.user,
            status=WaitlistEntry.Status.WAITING,
            starts_at__gte=now,
        )
    ]
    context = {
        "title": _("Venteliste: %(name)s") % {"name": resource.name},
        "resource": resource,
        "full": full,
        "mine": mine,
        "chosen": chosen,
        "error": error,
        "hold_hours": resource.waitlist_hold_minutes / 60,
        "until": timetable.today_local(now) + timedelta(days=DAYS - 1),
    }
    return render(request, "booking/waitlist.html", context, status=status)


@citizen_login_required
@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit("booking.waitlist", Limit(30, 60), key=user_key, methods=("POST",))
def waitlist_page(request: HttpRequest, slug: str) -> HttpResponse:
    resource = selectors.resource_by_slug(slug)
    if request.method != "POST":
        return _page(request, resource)
    chosen = request.POST.get("slot", "")[:100]
    starts_at = forms.parse_slot(chosen)
    if starts_at is None:
        return _page(request, resource, chosen=chosen, error=_("Velg et tidspunkt."), status=400)
    try:
        entry = waitlist.join_waitlist(resource, user=request.user, starts_at=starts_at)
    except ActionRefused as refused:
        return _page(request, resource, chosen=chosen, error=refused.message, status=400)
    messages.success(
        request,
        _("Du står på ventelisten som nummer %(position)s.")
        % {"position": waitlist.position(entry)},
    )
    return HttpResponseRedirect(reverse("booking:waitlist", args=[resource.slug]))


@citizen_login_required
@require_POST
def leave(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = (
        WaitlistEntry.objects.select_related("resource").filter(pk=entry_id, user=request.user)
    ).first()
    if entry is None:  # another person's place in line is not found
        raise Http404
    waitlist.leave_waitlist(entry, user=request.user)
    messages.success(request, _("Du står ikke lenger på ventelisten for dette tidspunktet."))
    return HttpResponseRedirect(reverse("booking:waitlist", args=[entry.resource.slug]))
