"""Services and their immutable definition versions."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iktipet.catalog.schema import Definition, FormService, parse_definition
from iktipet.core.models import Agency


def content_hash(data: Any) -> str:
    """Hash of a definition's content: formatting, key order and comments do not count."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class Service(models.Model):
    """A service in the catalogue, identified by the ``id`` of its definition files."""

    class Kind(models.TextChoices):
        FORM = "form", _("skjema")
        LINK = "link", _("lenke")

    service_id = models.SlugField(_("tjeneste-id"), max_length=60, unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("virksomhet"),
    )
    title_nb = models.CharField(_("tittel (bokmål)"), max_length=200)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("tjeneste")
        verbose_name_plural = _("tjenester")
        ordering = ["service_id"]

    def __str__(self) -> str:
        return self.service_id


_MUTABLE = frozenset({"published_at", "unpublished_at"})


class ServiceVersionQuerySet(models.QuerySet["ServiceVersion"]):
    def update(self, **kwargs: Any) -> int:
        if set(kwargs) - _MUTABLE:
            raise PermissionError("A service version's content is immutable.")
        return super().update(**kwargs)

    def published(self) -> ServiceVersionQuerySet:
        return self.filter(published_at__isnull=False, unpublished_at__isnull=True)


class ServiceVersion(models.Model):
    """One immutable definition of a service. An application keeps the version it used.

    Only ``published_at`` and ``unpublished_at`` change after creation; at most one
    version of a service is published at a time.
    """

    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="versions", verbose_name=_("tjeneste")
    )
    number = models.PositiveIntegerField(_("versjon"))
    definition = models.JSONField(_("definisjon"))
    content_hash = models.CharField(_("innholdssjekksum"), max_length=64)
    created_at = models.DateTimeField(_("lastet inn"), auto_now_add=True)
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)
    unpublished_at = models.DateTimeField(_("avpublisert"), null=True, blank=True)

    objects = ServiceVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("tjenesteversjon")
        verbose_name_plural = _("tjenesteversjoner")
        ordering = ["service", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="catalog_version_number"),
            models.UniqueConstraint(
                fields=["service", "content_hash"], name="catalog_version_content"
            ),
            models.UniqueConstraint(
                fields=["service"],
                condition=Q(published_at__isnull=False, unpublished_at__isnull=True),
                name="catalog_one_published_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.service_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (update_fields is None or set(update_fields) - _MUTABLE):
            raise PermissionError(
                "A service version is immutable: load changed content as a new version."
            )
        if self.pk is None:
            self.content_hash = content_hash(self.definition)
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.unpublished_at is None

    @property
    def definition_model(self) -> Definition:
        """The parsed, immutable definition (cached per content hash).

        Fetch versions with ``defer("definition")`` where only this is needed: the JSON
        (10–20 KB for a real service) is then read and decoded only when the cache misses.
        """
        return parsed_definition(self.content_hash, lambda: self.definition)

    @property
    def form_model(self) -> FormService:
        """:attr:`definition_model` of a service one applies for (what an application or a
        case always has); a link service has no form: TypeError."""
        definition = self.definition_model
        if not isinstance(definition, FormService):
            raise TypeError(f"{definition.id} is a {definition.kind} service, not a form")
        return definition


_parsed: OrderedDict[str, Definition] = OrderedDict()
_parsed_lock = Lock()
_PARSED_MAX = 256


def parsed_definition(digest: str, data: Callable[[], Any]) -> Definition:
    """The definition with content hash ``digest``; ``data()`` gives its JSON if not cached."""
    with _parsed_lock:
        if digest in _parsed:
            _parsed.move_to_end(digest)
            return _parsed[digest]
    definition = parse_definition(data())
    with _parsed_lock:
        _parsed[digest] = definition
        while len(_parsed) > _PARSED_MAX:
            _parsed.popitem(last=False)
    return definition
