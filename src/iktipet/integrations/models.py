"""API clients, stored idempotent answers, webhook subscriptions and their deliveries."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Capabilities a token's ``scope`` grants (Maskinporten scopes under the ``iktipet:`` prefix).
SCOPES = {
    "iktipet:catalog.read": _("lese tjenestekatalogen"),
    "iktipet:cases.read": _("lese saker, dokumenter og tidslinjer"),
    "iktipet:cases.write": _("endre status, sende meldinger og fatte vedtak"),
    "iktipet:events.read": _("lese hendelsesstrømmen"),
}

orgnr_validator = RegexValidator(r"^\d{9}$", _("Organisasjonsnummeret har ni sifre."))


def default_scopes() -> list[str]:
    return ["iktipet:catalog.read", "iktipet:cases.read"]


class ApiClient(models.Model):
    """A system of another organisation, known by the organisation number its tokens carry.

    It sees the cases of the agencies it is granted, and acts on them as its own staff
    user (``service_user``, case worker in those agencies), so the case services apply the
    same rules, audit rows and notifications as for a person at the staff pages.
    """

    orgnr = models.CharField(
        _("organisasjonsnummer"), max_length=9, unique=True, validators=[orgnr_validator]
    )
    name = models.CharField(_("navn"), max_length=150)
    agencies = models.ManyToManyField(
        "core.Agency", related_name="api_clients", verbose_name=_("virksomheter"), blank=True
    )
    scopes = models.JSONField(_("tilganger (scopes)"), default=default_scopes)
    active = models.BooleanField(_("aktiv"), default=True)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="api_client",
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("API-klient")
        verbose_name_plural = _("API-klienter")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.orgnr})"

    @property
    def consumer_id(self) -> str:
        """As Maskinporten writes it in ``consumer.ID``: ISO 6523 ICD 0192 and the orgnr."""
        return f"0192:{self.orgnr}"


class IdempotentAnswer(models.Model):
    """The first answer to a write with an ``Idempotency-Key``: a retry gets it again."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)  # None while the first is running
    body = models.BinaryField(default=b"")
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="integrations_idempotency")
        ]

    def __str__(self) -> str:
        return self.key


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    import base64

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Subscription(models.Model):
    """An agency's webhook: where its domain events go, signed with the secret."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("virksomhet")
    )
    url = models.URLField(_("adresse"), max_length=500)
    event_types = models.JSONField(
        _("hendelsestyper"),
        default=list,
        blank=True,
        help_text=_("Tom liste: alle. Eksempel: no.iktipet.case.status_changed"),
    )
    secret = models.CharField(_("hemmelighet"), max_length=100, default=new_secret, editable=False)
    #: The secret before the last rotation: deliveries are signed with both until it expires.
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_until = models.DateTimeField(null=True, blank=True, editable=False)
    active = models.BooleanField(_("aktiv"), default=True)
    disabled_reason = models.CharField(_("stoppet fordi"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook-abonnement")
        verbose_name_plural = _("webhook-abonnementer")

    def __str__(self) -> str:
        return f"{self.agency} → {self.url}"

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class Delivery(models.Model):
    """One event for one subscription, tried until delivered or dead.

    ``id`` is the ``sequence`` in the event: it grows with every event a subscription gets,
    and the worker sends a subject's events in that order (see docs/api.md).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("venter")
        DELIVERED = "delivered", _("levert")
        DEAD = "dead", _("gitt opp")

    id = models.BigAutoField(primary_key=True)
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey("core.DomainEvent", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("forsøk"), default=0)
    next_attempt_at = models.DateTimeField(_("neste forsøk"), null=True, db_index=True)
    #: A worker holds the delivery until then; a worker killed mid-delivery lets it go.
    locked_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("levert"), null=True, blank=True)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook-levering")
        verbose_name_plural = _("webhook-leveringer")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
            models.Index(fields=["subscription", "subject", "id"], name="delivery_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.event_id} {self.status}"


class DeliveryAttempt(models.Model):
    """One POST to the receiver: what it answered and how long it took."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP-status"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("svartid (ms)"), default=0)
    error = models.CharField(_("feil"), max_length=200, blank=True)
    response_excerpt = models.CharField(_("svar (utdrag)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("leveringsforsøk")
        verbose_name_plural = _("leveringsforsøk")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"
