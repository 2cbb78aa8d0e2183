"""The public catalogue: /tjenester/ and /tjenester/<service-id>/."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from iktipet.catalog import cache, presentation
from iktipet.catalog.models import Service, ServiceVersion
from iktipet.catalog.schema import Definition, FormService
from iktipet.catalog.selectors import catalogue_groups, current_version, published_service
from iktipet.core.selectors import directory_version
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


class ServicePage:
    """What a service's page shows, for its ``{% samefor %}``: the same for everyone in a
    language until another version is published or the agency changes, which change
    ``str(page)``, the fragment's key. The rest is worked out only when it is rendered."""

    def __init__(self, service: Service, version: ServiceVersion, definition: Definition) -> None:
        self.service = service
        self.definition = definition
        self.key = f"{version.pk}:{version.content_hash}:{service.agency_id}:{directory_version()}"

    def __str__(self) -> str:
        return self.key

    @cached_property
    def is_form(self) -> bool:
        return isinstance(self.definition, FormService)

    @cached_property
    def unavailable(self) -> list[str]:
        return presentation.unavailable_reasons(self.definition)

    def description(self) -> list[str]:
        return presentation.paragraphs(self.definition.description)

    def facts(self) -> list[presentation.Fact]:
        return presentation.facts(self.definition)

    def attachments(self) -> list[Any]:
        definition = self.definition
        return definition.attachments() if isinstance(definition, FormService) else []

    def start_url(self) -> str | None:
        if self.is_form and not self.unavailable:
            return _start_url(self.definition.id)
        return None


@require_safe
@public_page
def service_detail(request: HttpRequest, service_id: str) -> HttpResponse:
    service = published_service(service_id)
    version = current_version(service)
    definition = version.definition_model
    return render(
        request,
        "catalog/service.html",
        {"title": str(definition.title), "page": ServicePage(service, version, definition)},
    )
