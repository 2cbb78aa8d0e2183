"""Writes: loading definition files as versions, publishing and unpublishing versions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from pydantic import ValidationError

from iktipet.catalog.cache import invalidate_catalogue
from iktipet.catalog.loader import read_definitions
from iktipet.catalog.models import Service, ServiceVersion, content_hash
from iktipet.catalog.permissions import can_publish
from iktipet.catalog.schema import Definition
from iktipet.core import audit
from iktipet.core.models import Agency

if TYPE_CHECKING:
    from iktipet.accounts.types import User


class DefinitionErrors(Exception):
    """Definition files have problems; nothing was loaded. ``messages``: file: path: reason."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(f"{len(messages)} problem(s) in service definitions")
        self.messages = messages


class _System:
    """The actor for loads and publishes made by the platform itself (CLI, demo data)."""

    is_authenticated = True
    pk = None
    audit_label = "system"


SYSTEM = _System()


@dataclass(frozen=True)
class Loaded:
    version: ServiceVersion
    created: bool
    published: bool


def known_agencies() -> set[str]:
    return set(Agency.objects.values_list("slug", flat=True))


def load_service_definitions(
    paths: Iterable[Path | str], *, publish: bool = False, actor: User | None = None
) -> list[Loaded]:
    """Validate every file, then store each as a version (identical content → the same
    version) in one transaction. ``publish``: also publish the loaded versions."""
    files = read_definitions(paths, known_agencies())
    messages = [message for item in files for message in item.messages()]
    if messages:
        raise DefinitionErrors(messages)
    results = []
    with transaction.atomic():
        for item in files:
            assert item.definition is not None and item.data is not None
            version, created = store_version(item.definition, item.data, actor=actor)
            published = False
            if publish and not version.is_published:
                publish_version(actor, version)
                published = True
            results.append(Loaded(version, created, published))
    return results


def store_version(
    definition: Definition, data: dict[str, Any], *, actor: User | None = None
) -> tuple[ServiceVersion, bool]:
    """The version holding ``data`` for its service: the existing one with the same content,
    else a new one numbered after the last."""
    agency = Agency.objects.get(slug=definition.agency) if definition.agency else None
    with transaction.atomic():
        service, _ = Service.objects.get_or_create(
            service_id=definition.id,
            defaults={"kind": definition.kind, "agency": agency, "title_nb": definition.title.nb},
        )
        service = Service.objects.select_for_update().get(pk=service.pk)
        changes = {"kind": definition.kind, "agency": agency, "title_nb": definition.title.nb}
        if any(getattr(service, key) != value for key, value in changes.items()):
            for key, value in changes.items():
                setattr(service, key, value)
            service.save(update_fields=list(changes))
        digest = content_hash(data)
        existing = service.versions.filter(content_hash=digest).first()
        if existing is not None:
            return existing, False
        last = service.versions.aggregate(last=Max("number"))["last"] or 0
        version = ServiceVersion.objects.create(service=service, number=last + 1, definition=data)
        audit.record(
            actor or SYSTEM,
            "catalog.version_loaded",
            version,
            {"service": service.service_id, "number": version.number},
        )
    return version, True


def publish_version(actor: User | None, version: ServiceVersion) -> ServiceVersion:
    """Make ``version`` the one the catalogue shows and new applications use."""
    service = version.service
    if not can_publish(actor, service.agency.slug if service.agency else None):
        raise PermissionDenied
    try:
        version.definition_model  # noqa: B018  (a stored version must still parse)
    except ValidationError as exc:
        raise ValueError(f"{version} no longer matches the schema: {exc}") from None
    with transaction.atomic():
        Service.objects.select_for_update().get(pk=service.pk)
        now = timezone.now()
        ServiceVersion.objects.filter(service=service).published().exclude(pk=version.pk).update(
            unpublished_at=now
        )
        version.refresh_from_db(fields=["published_at", "unpublished_at"])
        if not version.is_published:
            version.published_at, version.unpublished_at = now, None
            version.save(update_fields=["published_at", "unpublished_at"])
        audit.record(
            actor or SYSTEM,
            "catalog.version_published",
            version,
            {"service": service.service_id, "number": version.number},
        )
        transaction.on_commit(invalidate_catalogue)
    return version


def unpublish_version(actor: User, version: ServiceVersion) -> ServiceVersion:
    """Take ``version`` out of the catalogue; applications made with it keep it."""
    service = version.service
    if not can_publish(actor, service.agency.slug if service.agency else None):
        raise PermissionDenied
    with transaction.atomic():
        version.refresh_from_db(fields=["published_at", "unpublished_at"])
        if version.is_published:
            version.unpublished_at = timezone.now()
            version.save(update_fields=["unpublished_at"])
            audit.record(
                actor or SYSTEM,
                "catalog.version_unpublished",
                version,
                {"service": service.service_id, "number": version.number},
            )
        transaction.on_commit(invalidate_catalogue)
    return version
