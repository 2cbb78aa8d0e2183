"""Staff pages for the letters to print: the queue of one's agencies, a letter, "printed"."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from iktipet.accounts import staff_agencies, staff_required
from iktipet.core import audit
from iktipet.messaging import selectors, services
from iktipet.messaging.models import PrintLetter


def _agency_ids(request: HttpRequest) -> list[int]:
    return list(staff_agencies(request.user).values_list("pk", flat=True))


@require_safe
@staff_required
def print_queue(request: HttpRequest) -> HttpResponse:
    printed = request.GET.get("vis") == "utskrevet"
    status = PrintLetter.Status.PRINTED if printed else PrintLetter.Status.QUEUED
    letters = selectors.print_letters_for_agencies(_agency_ids(request), status=status)
    if printed:
        letters = letters.order_by("-printed_at")[:100]
    context = {
        "title": _("Brev til utskrift"),
        "letters": letters,
        "printed": printed,
    }
    return render(request, "messaging/print_queue.html", context)


@require_safe
@staff_required
def letter_detail(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = selectors.print_letter_for_agencies(_agency_ids(request), letter_id)
    # The letter shows a person's name and address: reading it is audited like a case.
    audit.record(request.user, "messaging.letter_viewed", letter, {"agency": letter.agency.slug})
    return render(request, "messaging/letter.html", {"title": letter.subject, "letter": letter})


@require_POST
@staff_required
def letter_printed(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    letter = selectors.print_letter_for_agencies(_agency_ids(request), letter_id)
    services.mark_letter_printed(letter, user=request.user)
    messages.success(request, _("Brevet er merket som skrevet ut."))
    return HttpResponseRedirect(reverse("messaging_staff:print_queue"))
