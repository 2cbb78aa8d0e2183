"""Reads of the catalogue. Published services are public: no actor is needed, and an
unpublished or unknown service is a 404 for everyone.

Public API for the form engine: :func:`published_service`, :func:`current_version`,
``ServiceVersion.definition_model`` and :mod:`iktipet.catalog.rules`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pydantic import ValidationError

from iktipet.catalog.models import Service, ServiceVersion
from iktipet.catalog.presentation import Fact, facts, unavailable_reasons
from iktipet.catalog.schema import Definition, LinkService
from iktipet.core import rows

logger = logging.getLogger(__name__)


def published_service(service_id: str) -> Service:
    """The service with a published version; Http404 otherwise.

    Read with SQL compiled once per connection (``core.rows``: the service page and every
    form page start here), without the definition's JSON: ``definition_model`` is cached by
    content hash and reads it only when that misses.
    """
    version = rows.first(
        ServiceVersion,
        "catalog.published_service",
        lambda using: (
            ServiceVersion.objects.using(using)
            .published()
            .select_related("service", "service__agency")
            .defer("definition")
            .filter(service__service_id=service_id)
            .order_by("pk")[:1]
        ),
        lambda connection: [service_id],
    )
    if version is None:
        raise Http404("No such published service")
    service = version.service
    service._published_version = version  # type: ignore[attr-defined]
    return service


def current_version(service: Service) -> ServiceVersion:
    """The published version of ``service`` (what a new application uses); Http404 if none."""
    cached = getattr(service, "_published_version", None)
    if cached is not None:
        return cached
    version = ServiceVersion.objects.published().filter(service=service).first()
    if version is None:
        raise Http404("Service is not published")
    return version


@dataclass
class CatalogueEntry:
    service_id: str
    definition: Definition
    url: str
    facts: list[Fact]
    unavailable: list[str]

    @property
    def is_link(self) -> bool:
        """Another authority's service: the entry says so, and the link leaves the portal."""
        return isinstance(self.definition, LinkService) and self.definition.external

    @property
    def title(self) -> str:
        return str(self.definition.title)


@dataclass
class CatalogueGroup:
    heading: str
    slug: str
    entries: list[CatalogueEntry] = field(default_factory=list)


def catalogue_groups() -> list[CatalogueGroup]:
    """Published services grouped by agency (sorted by name in the current language);
    entries of other authorities last."""
    versions = ServiceVersion.objects.published().select_related("service", "service__agency")
    groups: dict[int | None, CatalogueGroup] = {}
    for version in versions:
        try:
            definition = version.definition_model
        except ValidationError:
            # Stored under an older schema: leave it out rather than break the catalogue.
            logger.exception("Published %s no longer matches the schema", version)
            continue
        agency = version.service.agency
        key = agency.pk if agency else None
        if key not in groups:
            heading = agency.name if agency else _("Andre offentlige tjenester")
            groups[key] = CatalogueGroup(heading, agency.slug if agency else "andre")
        url = (
            str(definition.url)
            if isinstance(definition, LinkService) and definition.external
            else reverse("catalog:service", args=[definition.id])
        )
        groups[key].entries.append(
            CatalogueEntry(
                definition.id, definition, url, facts(definition), unavailable_reasons(definition)
            )
        )
    language = get_language() or "nb"
    for group in groups.values():
        group.entries.sort(key=lambda e: e.definition.title.get(language).casefold())
    ordered = sorted(
        (g for k, g in groups.items() if k is not None), key=lambda g: g.heading.casefold()
    )
    if None in groups:
        ordered.append(groups[None])
    return ordered
