"""The ``testbank`` payment provider: built in, offline, and the default — a TEST provider.

It moves no money. Its book, checkout page and webhook sender are in ``payments.testbank``;
this plugin is what the payments core sees, exactly as it sees Vipps or Nets: create, get
status, capture, cancel, refund and verify a signed webhook.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from iktipet.payments.providers.base import (
    BasePaymentProvider,
    CreatedPayment,
    OperationResult,
    PaymentRequest,
    ProviderStatus,
    WebhookRejected,
    payment_providers,
)
from iktipet.payments.testbank import bank, signing


@payment_providers.register("testbank")
class TestbankProvider(BasePaymentProvider):
    label = _("Testbanken (testbetaling, ingen ekte penger)")

    def __init__(
        self,
        *,
        secret: str,
        webhook_delay: int = 2,
        lifetime_minutes: int = 60,
        tolerance_seconds: int = signing.TOLERANCE_SECONDS,
    ) -> None:
        self.secret = secret
        self.webhook_delay = webhook_delay
        self.lifetime = dt.timedelta(minutes=lifetime_minutes)
        self.tolerance = tolerance_seconds

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {
            "secret": conf.TESTBANK_SECRET,
            "webhook_delay": conf.TESTBANK_WEBHOOK_DELAY_SECONDS,
        }

    def check_config(self) -> list[str]:
        if len(self.secret) < 16:
            return ["testbank: IKTIPET_TESTBANK_SECRET must be at least 16 characters."]
        return []

    def create(self, request: PaymentRequest) -> CreatedPayment:
        payment = bank.create(request, delay=self.webhook_delay)
        return CreatedPayment(
            provider_reference=payment.id, redirect_url=bank.checkout_url(payment)
        )

    def get_status(self, provider_reference: str) -> ProviderStatus:
        payment = bank.expire_if_due(
            provider_reference, lifetime=self.lifetime, delay=self.webhook_delay
        )
        return bank.status_of(payment, name="status")

    def capture(
        self, provider_reference: str, amount_ore: int, *, idempotency_key: str
    ) -> OperationResult:
        payment = bank.capture(
            provider_reference, amount_ore, idempotency_key, delay=self.webhook_delay
        )
        return OperationResult(idempotency_key, bank.status_of(payment))

    def cancel(self, provider_reference: str, *, idempotency_key: str) -> OperationResult:
        payment = bank.cancel(provider_reference, idempotency_key, delay=self.webhook_delay)
        return OperationResult(idempotency_key, bank.status_of(payment))

    def refund(
        self, provider_reference: str, amount_ore: int, *, idempotency_key: str, reason: str = ""
    ) -> OperationResult:
        payment = bank.refund(
            provider_reference, amount_ore, idempotency_key, delay=self.webhook_delay
        )
        return OperationResult(idempotency_key, bank.status_of(payment))

    def verify_webhook(
        self, *, body: bytes, headers: Mapping[str, str], path_and_query: str, secret: str = ""
    ) -> ProviderStatus:
        try:
            signing.verify(
                body, headers.get(signing.HEADER, ""), self.secret, tolerance=self.tolerance
            )
        except signing.SignatureError as exc:
            raise WebhookRejected(str(exc), status=exc.status) from None
        try:
            event = json.loads(body)
            payment = event["payment"]
            return ProviderStatus(
                provider_reference=str(payment["id"]),
                state=bank.ProviderState(payment["state"]),
                authorized_ore=int(payment["amount"]) if payment["state"] == "authorized" else None,
                captured_ore=int(payment["captured"]),
                refunded_ore=int(payment["refunded"]),
                cancelled_ore=int(payment["cancelled"]),
                fee_ore=int(payment["fee"]) or None,
                event_id=str(event["id"]),
                event_name=str(event["type"])[:60],
                occurred_at=str(event.get("created", "")),
                raw=event,
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise WebhookRejected(f"malformed body: {exc}", status=400) from None
