"""The public catalogue: published services, as the portal lists them."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from pydantic import ConfigDict, Field, ValidationError

from iktipet.catalog.models import ServiceVersion
from iktipet.catalog.schema import LinkService
from iktipet.catalog.selectors import current_version, published_service
from iktipet.integrations.api.auth import CATALOG_READ
from iktipet.integrations.api.problems import errors

router = Router(tags=["catalogue"], auth=CATALOG_READ)
logger = logging.getLogger(__name__)


class TextOut(Schema):
    """A text in Norwegian bokmål and English."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"nb": "Skjenkebevilling", "en": "Alcohol licence"}]}
    )

    nb: str
    en: str


class ServiceOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "skjenkebevilling",
                    "kind": "form",
                    "title": {"nb": "Skjenkebevilling", "en": "Alcohol licence"},
                    "summary": {"nb": "Søk om å skjenke alkohol.", "en": "Apply to serve."},
                    "agency": "naeringsetaten",
                    "version": 3,
                    "url": "https://iktipet.example/tjenester/skjenkebevilling/",
                }
            ]
        }
    )

    id: str = Field(description="The service id, stable across versions.")
    kind: str = Field(
        description="`form` (applied for here) or `link` (a page of its own: another"
        " authority's service, or a booking here)."
    )
    title: TextOut
    summary: TextOut
    agency: str | None = Field(description="The agency's short name (slug).")
    version: int = Field(description="The published version of the definition.")
    url: str


def _service_out(version: ServiceVersion) -> ServiceOut:
    definition = version.definition_model
    if isinstance(definition, LinkService) and definition.external:
        url = str(definition.url)
    else:
        url = settings.BASE_URL.rstrip("/") + reverse("catalog:service", args=[definition.id])
    agency = version.service.agency
    return ServiceOut(
        id=definition.id,
        kind=version.service.kind,
        title=TextOut(nb=definition.title.nb, en=definition.title.en),
        summary=TextOut(nb=definition.summary.nb, en=definition.summary.en),
        agency=agency.slug if agency else None,
        version=version.number,
        url=url,
    )


@router.get("/services", response={200: list[ServiceOut], **errors()}, summary="List services")
def list_services(request: HttpRequest) -> list[ServiceOut]:
    """Every published service, ordered by id."""
    versions = (
        ServiceVersion.objects.published()
        .select_related("service", "service__agency")
        .order_by("service__service_id")
    )
    found = []
    for version in versions:
        try:
            found.append(_service_out(version))
        except ValidationError:  # stored under an older schema: left out, as on the portal
            logger.exception("Published %s no longer matches the schema", version)
    return found


@router.get(
    "/services/{service_id}", response={200: ServiceOut, **errors(404)}, summary="Read a service"
)
def read_service(request: HttpRequest, service_id: str) -> ServiceOut:
    return _service_out(current_version(published_service(service_id)))
