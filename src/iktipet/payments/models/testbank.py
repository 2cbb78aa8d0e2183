"""The testbank's own book: it plays a provider, so it keeps its own state apart from orders.

Nothing in the payments core reads this table: the core learns of a testbank payment only
through the plugin's ``get_status`` and its signed webhooks, as it would from Vipps or Nets.
"""

from __future__ import annotations

from django.db import models


class TestbankPayment(models.Model):
    class State(models.TextChoices):
        CREATED = "created"
        AUTHORIZED = "authorized"
        ABORTED = "aborted"
        EXPIRED = "expired"
        TERMINATED = "terminated"
        FAILED = "failed"

    id = models.CharField(primary_key=True, max_length=40)  # the provider reference
    reference = models.CharField(max_length=60)  # the merchant's (our attempt's) reference
    idempotency_key = models.CharField(max_length=64, unique=True)
    amount_ore = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, default="NOK")
    description = models.CharField(max_length=200)
    state = models.CharField(max_length=12, choices=State.choices, default=State.CREATED)
    captured_ore = models.PositiveBigIntegerField(default=0)
    refunded_ore = models.PositiveBigIntegerField(default=0)
    cancelled_ore = models.PositiveBigIntegerField(default=0)
    fee_ore = models.PositiveBigIntegerField(default=0)
    return_url = models.URLField(max_length=1000)
    webhook_url = models.URLField(max_length=1000)
    #: Keys of capture/cancel/refund calls already done: a retry answers as before.
    operation_keys = models.JSONField(default=list, blank=True)
    #: Webhooks sent so far (their sequence number makes each event id unique).
    events_sent = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "testbank payment"

    def __str__(self) -> str:
        return f"{self.id} {self.state}"
