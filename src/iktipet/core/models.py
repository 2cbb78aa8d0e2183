"""The municipality, its agencies, the append-only audit log and the domain-event outbox."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

kommunenummer_validator = RegexValidator(r"^\d{4}$", _("Kommunenummer har fire sifre."))


class Municipality(models.Model):
    """The one municipality (kommune) an installation serves."""

    name = models.CharField(_("navn"), max_length=100)
    kommunenummer = models.CharField(
        _("kommunenummer"), max_length=4, unique=True, validators=[kommunenummer_validator]
    )
    theme = models.CharField(
        _("tema"), max_length=40, default="digdir", help_text=_("Designsystemet-tema.")
    )
    website = models.URLField(_("nettsted"), blank=True)

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return f"{self.name} ({self.kommunenummer})"


class Agency(models.Model):
    """An agency (virksomhet) of the municipality that publishes services and handles cases."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="agencies"
    )
    slug = models.SlugField(_("kortnavn"), unique=True)
    name_nb = models.CharField(_("navn (bokmål)"), max_length=150)
    name_en = models.CharField(_("navn (engelsk)"), max_length=150)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    address = models.CharField(_("besøksadresse"), max_length=200, blank=True)
    website = models.URLField(_("nettsted"), blank=True)
    orgnr = models.CharField(_("organisasjonsnummer"), max_length=9, blank=True)

    class Meta:
        verbose_name = _("virksomhet")
        verbose_name_plural = _("virksomheter")
        ordering = ["name_nb"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nb").startswith("en") else self.name_nb


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One line of the append-only audit log: who did what to which object, and when."""

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aktør"),
    )
    actor_label = models.CharField(_("aktør (tekst)"), max_length=200, blank=True)
    action = models.CharField(_("handling"), max_length=100, db_index=True)
    target_type = models.CharField(_("objekttype"), max_length=100, blank=True)
    target_id = models.CharField(_("objekt-id"), max_length=100, blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)
    request_id = models.CharField(_("forespørsels-id"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("revisjonslogghendelse")
        verbose_name_plural = _("revisjonslogg")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label or '-'} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log is append-only.")


class DomainEvent(models.Model):
    """A state change other systems may want to hear about: the integration layer's outbox.

    Written in the same transaction as the change (``core.events.record_event``); a worker
    delivers it to subscribers as a CloudEvent. ``data`` never holds a fødselsnummer.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("type"), max_length=100, db_index=True)
    source = models.CharField(_("kilde"), max_length=100)
    subject = models.CharField(_("gjelder"), max_length=200)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    occurred_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    request_id = models.CharField(_("forespørsels-id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("domenehendelse")
        verbose_name_plural = _("domenehendelser")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["agency", "occurred_at"], name="domain_event_agency")]

    def __str__(self) -> str:
        return f"{self.type} {self.subject}"
