"""Payment orders: what is owed, for what, by whom, and every attempt to pay it.

An order is the platform's own record; a provider only reports. The order's state moves
forward through ``payments.services`` alone, by conditional updates, and each move leaves an
:class:`OrderEvent`. Money is integer øre (``core.money``).

An order has at most one *live* attempt (a press on "Betal" that reached, or is reaching, a
provider). The attempt's idempotency key is stored before the provider is called, so a retry
of the same attempt is the same payment at the provider.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

#: Unambiguous upper-case letters and digits for references people read aloud.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    """``B-7K3QX9TD``: short, unique enough (32⁸ ≈ 10¹²), and checked by a unique index."""
    return "B-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


class PaymentOrder(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("til betaling")
        PENDING = "pending", _("betaling pågår")
        AUTHORIZED = "authorized", _("reservert")
        CAPTURED = "captured", _("betalt")
        REFUNDED = "refunded", _("refundert")
        CANCELLED = "cancelled", _("kansellert")

    class PartyKind(models.TextChoices):
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("virksomhet")

    #: States where the person may still press "Betal".
    PAYABLE = (State.OPEN, State.PENDING)
    #: States where money has moved.
    SETTLED = (State.CAPTURED, State.REFUNDED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("referanse"), max_length=20, unique=True, default=new_reference)
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="payment_orders"
    )
    payable_kind = models.CharField(_("gjelder (type)"), max_length=20)
    payable_id = models.CharField(_("gjelder (id)"), max_length=64)
    title = models.CharField(_("tittel"), max_length=200)
    amount_ore = models.PositiveBigIntegerField(_("beløp (øre)"))
    currency = models.CharField(_("valuta"), max_length=3, default="NOK")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment_orders",
        verbose_name=_("betaler"),
    )
    party_kind = models.CharField(
        _("betaler er"), max_length=12, choices=PartyKind.choices, default=PartyKind.PERSON
    )
    party_identifier = models.CharField(_("betalers identifikator"), max_length=20, blank=True)
    party_name = models.CharField(_("betalers navn"), max_length=200, blank=True)
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default=State.OPEN)
    due_date = models.DateField(_("forfallsdato"), null=True, blank=True)
    reason = models.TextField(_("begrunnelse"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opprettet av"),
    )
    authorized_ore = models.PositiveBigIntegerField(_("reservert (øre)"), default=0)
    captured_ore = models.PositiveBigIntegerField(_("belastet (øre)"), default=0)
    refunded_ore = models.PositiveBigIntegerField(_("refundert (øre)"), default=0)
    fee_ore = models.PositiveBigIntegerField(_("gebyr til leverandør (øre)"), null=True, blank=True)
    provider = models.CharField(_("betalingsleverandør"), max_length=30, blank=True)
    provider_reference = models.CharField(_("leverandørens referanse"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)
    authorized_at = models.DateTimeField(_("reservert"), null=True, blank=True)
    paid_at = models.DateTimeField(_("betalt"), null=True, blank=True)

    class Meta:
        verbose_name = _("betalingsordre")
        verbose_name_plural = _("betalingsordrer")
        ordering = ["-created_at"]
        constraints = [
            # One live order per payable: a double click finds the first.
            models.UniqueConstraint(
                fields=["payable_kind", "payable_id"],
                condition=~Q(state="cancelled"),
                name="payments_one_live_order_per_payable",
            ),
            models.CheckConstraint(
                condition=Q(captured_ore__lte=models.F("authorized_ore"))
                & Q(refunded_ore__lte=models.F("captured_ore")),
                name="payments_amounts_in_order",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "party_kind"], name="payments_order_user_idx"),
            models.Index(
                fields=["party_kind", "party_identifier"], name="payments_order_party_idx"
            ),
            models.Index(fields=["agency", "paid_at"], name="payments_order_paid_idx"),
            models.Index(fields=["state", "updated_at"], name="payments_order_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def payable(self) -> tuple[str, str]:
        return (self.payable_kind, self.payable_id)

    @property
    def is_payable(self) -> bool:
        return self.state in self.PAYABLE

    @property
    def refundable_ore(self) -> int:
        return self.captured_ore - self.refunded_ore


class OrderLineRow(models.Model):
    """One line of an order (``providers.base.OrderLine`` as stored)."""

    order = models.ForeignKey(PaymentOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("tekst"), max_length=200)
    quantity = models.PositiveIntegerField(_("antall"))
    unit_price_ore = models.PositiveBigIntegerField(_("enhetspris (øre)"))
    vat_percent = models.PositiveSmallIntegerField(_("mva (%)"), default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="payments_line_position")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.text}"

    @property
    def amount_ore(self) -> int:
        return self.quantity * self.unit_price_ore


class PaymentAttempt(models.Model):
    """One press on "Betal" that goes to a provider, with its idempotency keys."""

    class State(models.TextChoices):
        CREATING = "creating", _("opprettes")  # key stored, provider asked (maybe no answer)
        CREATED = "created", _("startet")  # the person was sent to the provider
        AUTHORIZED = "authorized", _("reservert")
        CAPTURED = "captured", _("belastet")
        ABORTED = "aborted", _("avbrutt")
        EXPIRED = "expired", _("utløpt")
        FAILED = "failed", _("avvist")
        CANCELLED = "cancelled", _("kansellert")

    LIVE = (State.CREATING, State.CREATED)
    ENDED = (State.ABORTED, State.EXPIRED, State.FAILED, State.CANCELLED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(PaymentOrder, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    provider = models.CharField(max_length=30)
    amount_ore = models.PositiveBigIntegerField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.CREATING)
    idempotency_key = models.CharField(max_length=64, unique=True)
    capture_key = models.CharField(max_length=64, blank=True)
    cancel_key = models.CharField(max_length=64, blank=True)
    #: Nets echoes it as the webhook's Authorization header (per payment).
    webhook_secret = models.CharField(max_length=64, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    redirect_url = models.URLField(max_length=1000, blank=True)
    #: The provider must cancel this attempt (superseded, refused by the payable, expired).
    cancel_pending = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["order", "number"], name="payments_attempt_number"),
            # Double clicks: at most one live attempt per order.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(state__in=["creating", "created"]),
                name="payments_one_live_attempt",
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~Q(provider_reference=""),
                name="payments_attempt_provider_ref",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="payments_attempt_state_idx")]

    def __str__(self) -> str:
        return f"{self.provider} #{self.number} ({self.state})"

    @property
    def reference(self) -> str:
        """What the provider knows the attempt by (unique per attempt: Vipps wants that)."""
        return f"{self.order.reference}-{self.number}"

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE


class OrderEvent(models.Model):
    """The history: one row per change of an order (and per noteworthy provider report)."""

    order = models.ForeignKey(PaymentOrder, on_delete=models.CASCADE, related_name="history")
    attempt = models.ForeignKey(PaymentAttempt, on_delete=models.SET_NULL, null=True, blank=True)
    name = models.CharField(max_length=40)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.from_state}→{self.to_state}"


class Refund(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("under behandling")
        DONE = "done", _("refundert")
        FAILED = "failed", _("avvist")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(PaymentOrder, on_delete=models.PROTECT, related_name="refunds")
    amount_ore = models.PositiveBigIntegerField(_("beløp (øre)"))
    reason = models.TextField(_("begrunnelse"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    idempotency_key = models.CharField(max_length=64, unique=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_ore__gt=0), name="payments_refund_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount_ore} øre ({self.state})"


class ProcessedWebhook(models.Model):
    """A webhook delivery already applied: the same one again has no effect."""

    provider = models.CharField(max_length=30)
    event_id = models.CharField(max_length=200)
    order = models.ForeignKey(PaymentOrder, on_delete=models.CASCADE, null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="payments_webhook_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"
