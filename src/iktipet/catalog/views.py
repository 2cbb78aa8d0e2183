"""The public catalogue: /tjenester/ and /tjenester/<service-id>/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from iktipet.catalog import cache, presentation
from iktipet.catalog.schema import FormService
from iktipet.catalog.selectors import catalogue_groups, current_version, published_service
from iktipet.ops.caching import public_page


@require_safe
@public_page
def catalogue(request: HttpRequest) -> HttpResponse:
    # `groups` is called by the template only when the cached fragment is missing.
    return render(
        request,
        "catalog/catalogue.html",
        {"title": _("Tjenester"), "groups": catalogue_groups, "cache_seconds": cache.SECONDS},
    )


def _start_url(service_id: str) -> str | None:
    try:
        return reverse("applications:start", args=[service_id])
    except NoReverseMatch:  # the applications app has no start page yet
        return None


@require_safe
@public_page
def service_detail(request: HttpRequest, service_id: str) -> HttpResponse:
    service = published_service(service_id)
    definition = current_version(service).definition_model
    unavailable = presentation.unavailable_reasons(definition)
    is_form = isinstance(definition, FormService)
    attachments = definition.attachments() if is_form else []
    return render(
        request,
        "catalog/service.html",
        {
            "title": str(definition.title),
            "service": service,
            "definition": definition,
            "is_form": is_form,
            "description": presentation.paragraphs(definition.description),
            "facts": presentation.facts(definition),
            "attachments": attachments,
            "unavailable": unavailable,
            "start_url": _start_url(definition.id) if is_form and not unavailable else None,
        },
    )
