"""What a payment provider offers the payments app: the contract every plugin implements.

The payments app keeps the order (amount in øre, state, history); a provider only moves money
and reports what it knows. Every call that can move money takes an ``idempotency_key`` that the
caller stored *before* the call, so a retried call can never charge twice. Providers never
decide an order's state: they report a :class:`ProviderStatus` (from a status query or a
verified webhook) and ``payments.services.settle_from_provider`` applies it, idempotently and
in any order.

Failures: a provider that is down, slow or answers 5xx raises :class:`ProviderUnavailable`
(the caller keeps the order and the poller settles it later); a refusal that will not change
on retry (4xx: unknown reference, amount too large) raises :class:`ProviderRefused`.
"""

from __future__ import annotations

import enum
from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from iktipet.core.registry import Plugin, Registry


class ProviderError(Exception):
    """A provider call did not do what was asked."""


class ProviderUnavailable(ProviderError):
    """Down, timed out, or 5xx: try again later (the poller will)."""


class ProviderRefused(ProviderError):
    """The provider said no in a way a retry will not change (4xx); ``code`` is its own."""

    def __init__(self, message: str, *, code: str = "", status: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class WebhookRejected(ProviderError):
    """A webhook that is forged, malformed or replayed outside its window. ``status`` is
    the HTTP answer (401 for a bad signature, 400 for a bad body or an old timestamp)."""

    def __init__(self, message: str, *, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


class ProviderState(enum.StrEnum):
    """What the provider says about a payment, mapped from its own words.

    Vipps' ePayment states are CREATED, ABORTED, EXPIRED, AUTHORIZED and TERMINATED; capture
    and refund show only in its aggregate amounts, so the amounts in :class:`ProviderStatus`
    carry them. Nets reports no single state; its plugin derives one from the payment's
    summary (reserved, charged, refunded, cancelled amounts).
    """

    CREATED = "created"  # started, the person has not approved (yet)
    AUTHORIZED = "authorized"  # reserved: may be captured
    ABORTED = "aborted"  # the person cancelled at the provider
    EXPIRED = "expired"  # never approved in time
    TERMINATED = "terminated"  # cancelled by us (or the merchant) before capture
    FAILED = "failed"  # declined / technical failure at the provider


@dataclass(frozen=True)
class OrderLine:
    text: str
    quantity: int
    unit_price_ore: int
    vat_percent: int = 0  # public fees carry no VAT

    @property
    def amount_ore(self) -> int:
        return self.quantity * self.unit_price_ore


@dataclass(frozen=True)
class PaymentRequest:
    """What ``create`` sends: everything comes from the server's order, never from a request."""

    reference: str  # our order reference, unique, ≤ 50 chars, [A-Za-z0-9-]
    amount_ore: int
    currency: str
    description: str  # shown to the payer (≤ 100 chars)
    lines: tuple[OrderLine, ...]
    return_url: str  # absolute: where the person comes back to (proves nothing by itself)
    webhook_url: str  # absolute: where the provider's webhooks go
    webhook_secret: str = ""  # Nets: echoed as the callback's Authorization header
    language: str = "nb"
    idempotency_key: str = ""


@dataclass(frozen=True)
class CreatedPayment:
    provider_reference: str  # the provider's id (Nets paymentId; Vipps: our reference)
    redirect_url: str  # where to send the person's browser


@dataclass(frozen=True)
class ProviderStatus:
    """A provider's view of one payment, from a status query or a verified webhook.

    Amounts are cumulative totals in øre (a webhook that knows only one event's amount gives
    ``None`` for the totals it does not know: the order keeps what it has). ``event_id``
    identifies a webhook delivery so a duplicate has one effect.
    """

    provider_reference: str
    state: ProviderState | None
    authorized_ore: int | None = None
    captured_ore: int | None = None
    refunded_ore: int | None = None
    cancelled_ore: int | None = None
    fee_ore: int | None = None  # the provider's fee, if it reports it (reconciliation)
    event_id: str = ""
    event_name: str = ""  # the provider's own name, for the history row
    occurred_at: str = ""  # ISO 8601 as the provider sent it
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OperationResult:
    """The answer to capture/cancel/refund: the provider's id for the operation, if any."""

    operation_reference: str = ""
    status: ProviderStatus | None = None


class BasePaymentProvider(Plugin):
    """One payment provider. Options come from settings (see ``options_from_settings``);
    an agency with its own merchant account passes its own options to ``create``."""

    #: Shown to the payer on the choice of provider.
    label = ""

    @abstractmethod
    def create(self, request: PaymentRequest) -> CreatedPayment: ...

    @abstractmethod
    def get_status(self, provider_reference: str) -> ProviderStatus: ...

    @abstractmethod
    def capture(
        self, provider_reference: str, amount_ore: int, *, idempotency_key: str
    ) -> OperationResult: ...

    @abstractmethod
    def cancel(self, provider_reference: str, *, idempotency_key: str) -> OperationResult: ...

    @abstractmethod
    def refund(
        self, provider_reference: str, amount_ore: int, *, idempotency_key: str, reason: str = ""
    ) -> OperationResult: ...

    @abstractmethod
    def verify_webhook(
        self, *, body: bytes, headers: Mapping[str, str], path_and_query: str, secret: str = ""
    ) -> ProviderStatus:
        """Check the webhook's authenticity and parse it.

        ``headers`` are the HTTP headers (case-insensitive names, as Django's
        ``request.headers``); ``path_and_query`` is the request target as received (Vipps signs
        it); ``secret`` is the per-payment secret where the provider has one (Nets). Raises
        :class:`WebhookRejected` for anything forged, malformed or replayed.
        """


payment_providers: Registry[BasePaymentProvider] = Registry(
    "payment provider", BasePaymentProvider, setting="PAYMENT_PROVIDERS"
)
