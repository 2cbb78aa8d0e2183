from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from iktipet.core.selectors import agencies


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """The service catalogue. Services are listed per agency once definitions are loaded."""
    return render(
        request,
        "catalog/catalogue.html",
        {"title": _("Tjenester"), "agencies": agencies(), "services": []},
    )
