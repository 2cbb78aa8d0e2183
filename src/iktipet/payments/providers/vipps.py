"""Vipps MobilePay ePayment API v1 (INTEGRATIONS.md §4; specs/vipps/epayment.v1.yml).

The person is sent to Vipps' landing page (``userFlow: WEB_REDIRECT``) and comes back to
``return_url``, which proves nothing: the state comes from ``get_status`` or a verified
webhook. Vipps' *states* are CREATED, ABORTED, EXPIRED, AUTHORIZED and TERMINATED; a capture
or refund shows only in the aggregate amounts, so the amounts carry them. An authorised
payment whose reservation was released without any capture is reported as TERMINATED (that
is what the contract means by it), whatever Vipps' own word.

A Vipps reference can be used for one payment only: the caller gives each attempt its own
(``<order>-<n>``), which Vipps takes as it is; one Vipps would refuse (too short, other
characters) is replaced by one made from it and the attempt's idempotency key.
``provider_reference`` is what to ask about later.

Webhooks are registered once per merchant (``iktipet vipps_webhooks register``), which returns
the HMAC secret for ``IKTIPET_VIPPS_WEBHOOK_SECRET``; see :mod:`.vipps_webhooks`.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from iktipet import __version__
from iktipet.payments.providers.base import (
    BasePaymentProvider,
    CreatedPayment,
    OperationResult,
    PaymentRequest,
    ProviderRefused,
    ProviderState,
    ProviderStatus,
    ProviderUnavailable,
    WebhookRejected,
    payment_providers,
)
from iktipet.payments.providers.http import ProviderHttp, Response, json_object, text
from iktipet.payments.providers.vipps_webhooks import verify_signature

DEFAULT_BASE_URL = "https://apitest.vipps.no"
PAYMENTS = "/epayment/v1/payments"
WEBHOOKS = "/webhooks/v1/webhooks"
#: Every ePayment event, for the webhook registration.
EPAYMENT_EVENTS = tuple(
    f"epayments.payment.{name}.v1"
    for name in (
        "created",
        "aborted",
        "expired",
        "cancelled",
        "captured",
        "refunded",
        "authorized",
        "terminated",
    )
)

_MSN = re.compile(r"^[0-9]{4,6}$")
_REFERENCE = re.compile(r"^[A-Za-z0-9-]{8,50}$")
_NOT_REFERENCE = re.compile(r"[^A-Za-z0-9-]")
#: A token is used until this many seconds before it expires (a request may be in flight).
_TOKEN_MARGIN = 120

_STATES = {
    "CREATED": ProviderState.CREATED,
    "ABORTED": ProviderState.ABORTED,
    "EXPIRED": ProviderState.EXPIRED,
    "AUTHORIZED": ProviderState.AUTHORIZED,
    "TERMINATED": ProviderState.TERMINATED,
}
#: Event names (webhooks and the event log) that say what the payment's state is now.
#: CAPTURED and REFUNDED move money, not the state: their totals come from ``get_status``.
_EVENT_STATES = {**_STATES, "CANCELLED": ProviderState.TERMINATED}


@dataclass
class _Token:
    value: str
    expires_at: float  # time.monotonic()


_tokens: dict[tuple[str, str, str], _Token] = {}
_tokens_lock = threading.Lock()


def forget_tokens() -> None:
    """Drop every cached access token (tests; an operator rotating keys restarts anyway)."""
    with _tokens_lock:
        _tokens.clear()


@payment_providers.register("vipps")
class VippsProvider(BasePaymentProvider):
    label = "Vipps MobilePay"

    def __init__(
        self,
        *,
        client_id: str = "",
        client_secret: str = "",
        subscription_key: str = "",
        msn: str = "",
        base_url: str = DEFAULT_BASE_URL,
        webhook_secret: str = "",
        timeout: float = 10.0,
        webhook_window_seconds: int = 300,
        currency: str = "NOK",
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.subscription_key = subscription_key
        self.msn = msn
        self.base_url = base_url.rstrip("/")
        self.webhook_secret = webhook_secret
        self.webhook_window_seconds = webhook_window_seconds
        self.currency = currency
        self._clock = clock or (lambda: datetime.now(UTC))
        self._http = ProviderHttp(
            "vipps", self.base_url, timeout=timeout, parse_error=parse_problem, transport=transport
        )

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {
            "client_id": conf.VIPPS_CLIENT_ID,
            "client_secret": conf.VIPPS_CLIENT_SECRET,
            "subscription_key": conf.VIPPS_SUBSCRIPTION_KEY,
            "msn": conf.VIPPS_MSN,
            "base_url": conf.VIPPS_BASE_URL,
            "webhook_secret": conf.VIPPS_WEBHOOK_SECRET,
            "timeout": conf.PAYMENT_PROVIDER_TIMEOUT,
        }

    def check_config(self) -> list[str]:
        problems = [
            f"{name} is not set: Vipps needs it (from portal.vippsmobilepay.com)."
            for name, value in (
                ("IKTIPET_VIPPS_CLIENT_ID", self.client_id),
                ("IKTIPET_VIPPS_CLIENT_SECRET", self.client_secret),
                ("IKTIPET_VIPPS_SUBSCRIPTION_KEY", self.subscription_key),
                ("IKTIPET_VIPPS_MSN", self.msn),
            )
            if not value
        ]
        if self.msn and not _MSN.match(self.msn):
            problems.append(f"IKTIPET_VIPPS_MSN={self.msn!r} is not 4-6 digits.")
        if urlsplit(self.base_url).scheme != "https":
            problems.append(f"IKTIPET_VIPPS_BASE_URL={self.base_url!r} is not an https URL.")
        if not self.webhook_secret:
            problems.append(
                "IKTIPET_VIPPS_WEBHOOK_SECRET is not set: register the webhook with "
                "`iktipet vipps_webhooks register --url <https://…/betaling/webhook/vipps/>` "
                "and set the secret it prints."
            )
        return problems

    # --- payments -------------------------------------------------------------------------

    def create(self, request: PaymentRequest) -> CreatedPayment:
        key = request.idempotency_key or _random_key()
        reference = attempt_reference(request.reference, key)
        body: dict[str, Any] = {
            "amount": self._amount(request.amount_ore, request.currency),
            "paymentMethod": {"type": "WALLET"},
            "reference": reference,
            "returnUrl": request.return_url,
            "userFlow": "WEB_REDIRECT",
            "paymentDescription": _description(request.description, request.reference),
        }
        receipt = _receipt(request)
        if receipt is not None:
            body["receipt"] = receipt
        answer = self._call("POST", PAYMENTS, body=body, idempotency_key=key, expect=(201,))
        redirect = (answer.body or {}).get("redirectUrl") if isinstance(answer.body, dict) else ""
        if not redirect:
            raise ProviderUnavailable("vipps: the created payment has no redirectUrl")
        return CreatedPayment(provider_reference=reference, redirect_url=str(redirect))

    def get_status(self, provider_reference: str) -> ProviderStatus:
        answer = self._call("GET", f"{PAYMENTS}/{provider_reference}")
        return _payment_status(provider_reference, json_object(answer, "vipps"))

    def events(self, provider_reference: str) -> list[ProviderStatus]:
        """The payment's event log, oldest first, each as a webhook would report it."""
        answer = self._call("GET", f"{PAYMENTS}/{provider_reference}/events")
        if not isinstance(answer.body, list):
            raise ProviderUnavailable("vipps: the event log is not a list")
        return [event_status(event) for event in answer.body if isinstance(event, dict)]

    def capture(
        self, provider_reference: str, amount_ore: int, *, idempotency_key: str
    ) -> OperationResult:
        return self._adjust(provider_reference, "capture", idempotency_key, amount_ore)

    def cancel(self, provider_reference: str, *, idempotency_key: str) -> OperationResult:
        return self._adjust(provider_reference, "cancel", idempotency_key, None)

    def refund(
        self, provider_reference: str, amount_ore: int, *, idempotency_key: str, reason: str = ""
    ) -> OperationResult:
        # The ePayment refund has no reason field: the reason stays in our own records.
        return self._adjust(provider_reference, "refund", idempotency_key, amount_ore)

    def _adjust(
        self, reference: str, action: str, key: str, amount_ore: int | None
    ) -> OperationResult:
        body = None if amount_ore is None else {"modificationAmount": self._amount(amount_ore)}
        answer = self._call(
            "POST", f"{PAYMENTS}/{reference}/{action}", body=body, idempotency_key=key
        )
        data = json_object(answer, "vipps")
        return OperationResult(
            operation_reference=str(data.get("pspReference") or ""),
            status=_payment_status(reference, data),
        )

    # --- webhooks -------------------------------------------------------------------------

    def verify_webhook(
        self, *, body: bytes, headers: Mapping[str, str], path_and_query: str, secret: str = ""
    ) -> ProviderStatus:
        event = verify_signature(
            body=body,
            headers=headers,
            path_and_query=path_and_query,
            # Vipps signs with the secret of the merchant's one registration, never a
            # per-payment one: ``secret`` (Nets') is not used here.
            secret=self.webhook_secret,
            now=self._clock(),
            window_seconds=self.webhook_window_seconds,
        )
        return event_status(event)

    def register_webhook(
        self, url: str, events: tuple[str, ...] = EPAYMENT_EVENTS
    ) -> dict[str, Any]:
        """Register ``url`` for ``events``; Vipps answers ``{"id", "secret"}`` (only now)."""
        answer = self._call(
            "POST", WEBHOOKS, body={"url": url, "events": list(events)}, expect=(201,)
        )
        return json_object(answer, "vipps")

    def list_webhooks(self) -> list[dict[str, Any]]:
        answer = self._call("GET", WEBHOOKS)
        hooks = json_object(answer, "vipps").get("webhooks")
        return [hook for hook in hooks if isinstance(hook, dict)] if isinstance(hooks, list) else []

    def delete_webhook(self, webhook_id: str) -> None:
        self._call("DELETE", f"{WEBHOOKS}/{webhook_id}", expect=(204, 200))

    # --- HTTP -----------------------------------------------------------------------------

    def _amount(self, value: int, currency: str = "") -> dict[str, Any]:
        return {"currency": currency or self.currency, "value": value}

    def _system_headers(self) -> dict[str, str]:
        return {
            "Ocp-Apim-Subscription-Key": self.subscription_key,
            "Merchant-Serial-Number": self.msn,
            "Vipps-System-Name": "iktipet",
            "Vipps-System-Version": __version__,
            "Vipps-System-Plugin-Name": "iktipet-payments",
            "Vipps-System-Plugin-Version": __version__,
        }

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        idempotency_key: str = "",
        expect: tuple[int, ...] = (200,),
    ) -> Response:
        headers = self._system_headers()
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key_for(idempotency_key)
        headers["Authorization"] = f"Bearer {self._token()}"
        try:
            return self._http.request(method, path, headers=headers, body=body, expect=expect)
        except ProviderRefused as exc:
            if exc.status != 401:
                raise
        # A token Vipps no longer accepts (rotated keys, a clock jump): one fresh try.
        self._forget_token()
        headers["Authorization"] = f"Bearer {self._token()}"
        return self._http.request(method, path, headers=headers, body=body, expect=expect)

    def _token_key(self) -> tuple[str, str, str]:
        return (self.base_url, self.client_id, self.msn)

    def _forget_token(self) -> None:
        with _tokens_lock:
            _tokens.pop(self._token_key(), None)

    def _token(self) -> str:
        """A cached access token, fetched anew shortly before it expires (1 h in test)."""
        key = self._token_key()
        with _tokens_lock:
            cached = _tokens.get(key)
            if cached is not None and cached.expires_at > time.monotonic():
                return cached.value
            answer = self._http.request(
                "POST",
                "/accesstoken/get",
                headers={
                    **self._system_headers(),
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                },
            )
            data = json_object(answer, "vipps")
            token = data.get("access_token")
            if not isinstance(token, str) or not token:
                raise ProviderUnavailable("vipps: the token response has no access_token")
            try:
                lifetime = int(data.get("expires_in") or 0)  # a string in Vipps' answer
            except (TypeError, ValueError):
                lifetime = 0
            _tokens[key] = _Token(token, time.monotonic() + max(lifetime - _TOKEN_MARGIN, 0))
            return token


# --- parsing -------------------------------------------------------------------------------


def parse_problem(body: Any) -> tuple[str, str]:
    """Vipps' problem+json (RFC 7807): the code is the problem type's last part."""
    if not isinstance(body, dict):
        return "", ""
    kind = text(body.get("type"))
    code = re.split(r"[#/]", kind.rstrip("/#"))[-1] if kind else text(body.get("title"))
    message = text(body.get("detail")) or text(body.get("title"))
    extra = body.get("extraDetails")
    if isinstance(extra, list):
        reasons = [
            f"{item.get('name')}: {item.get('reason')}" for item in extra if isinstance(item, dict)
        ]
        if reasons:
            message = f"{message} ({'; '.join(reasons)})"
    return code, message


def attempt_reference(reference: str, idempotency_key: str) -> str:
    """The Vipps reference for one attempt: ours where Vipps takes it (8-50 of
    ``[A-Za-z0-9-]``), else one made from it and the attempt's key (the same for a retry)."""
    if _REFERENCE.match(reference):
        return reference
    base = _NOT_REFERENCE.sub("-", reference)[:39] or "order"
    suffix = hashlib.sha256(idempotency_key.encode()).hexdigest()[:10]
    return f"{base}-{suffix}"


def idempotency_key_for(key: str) -> str:
    """Vipps takes at most 50 characters; a longer key is hashed (the same key, the same hash)."""
    return key if len(key) <= 50 else hashlib.sha256(key.encode()).hexdigest()[:50]


def _random_key() -> str:
    return uuid.uuid4().hex


def _description(description: str, reference: str) -> str:
    text_ = " ".join(description.split())[:100]
    return text_ if len(text_) >= 3 else f"Betaling {reference}"[:100]


def _receipt(request: PaymentRequest) -> dict[str, Any] | None:
    """Order lines for the receipt in the app, when they add up to the amount charged."""
    if not request.lines or sum(line.amount_ore for line in request.lines) != request.amount_ore:
        return None
    lines = []
    for number, line in enumerate(request.lines, start=1):
        total = line.amount_ore
        net = round(total * 100 / (100 + line.vat_percent))
        lines.append(
            {
                "name": line.text[:100] or request.reference,
                "id": str(number),
                "totalAmount": total,
                "totalAmountExcludingTax": net,
                "totalTaxAmount": total - net,
                "taxPercentage": line.vat_percent,
                "unitInfo": {
                    "unitPrice": line.unit_price_ore,
                    "quantity": str(line.quantity),
                    "quantityUnit": "PCS",
                },
            }
        )
    return {
        "orderLines": lines,
        "bottomLine": {"currency": request.currency, "receiptNumber": request.reference},
    }


def _value(amount: Any) -> int | None:
    if isinstance(amount, dict) and isinstance(amount.get("value"), int):
        return int(amount["value"])
    return None


def _payment_status(reference: str, data: Mapping[str, Any]) -> ProviderStatus:
    """A GetPaymentResponse or ModificationResponse as a status, with the aggregate totals."""
    aggregate = data.get("aggregate")
    if not isinstance(aggregate, dict):
        aggregate = {}
    authorized = _value(aggregate.get("authorizedAmount"))
    captured = _value(aggregate.get("capturedAmount"))
    refunded = _value(aggregate.get("refundedAmount"))
    cancelled = _value(aggregate.get("cancelledAmount"))
    state = _STATES.get(str(data.get("state")))
    if state is None:
        raise ProviderUnavailable(f"vipps: unknown payment state {data.get('state')!r}")
    if (
        state is ProviderState.AUTHORIZED
        and not captured
        and cancelled
        and cancelled >= (authorized or 0)
    ):
        # Reservation released before any capture: cancelled by us, whatever Vipps calls it.
        state = ProviderState.TERMINATED
    return ProviderStatus(
        provider_reference=str(data.get("reference") or reference),
        state=state,
        authorized_ore=authorized,
        captured_ore=captured,
        refunded_ore=refunded,
        cancelled_ore=cancelled,
        raw=dict(data),
    )


def event_status(event: Mapping[str, Any]) -> ProviderStatus:
    """One ePayment event (a webhook body or an event-log entry) as a status.

    The event's amount is that event's, not a total: only an authorisation (one per payment)
    and a cancellation (it releases all that is left) say something about a total. A failed
    event (``success: false``) changes nothing, so its state is ``None``.
    """
    reference = event.get("reference")
    name = event.get("name")
    if not isinstance(reference, str) or not reference or not isinstance(name, str):
        raise WebhookRejected("vipps: an event without reference or name", status=400)
    success = event.get("success") is not False
    amount = _value(event.get("amount"))
    state = _EVENT_STATES.get(name) if success else None
    identity = "|".join(
        str(event.get(field) or "")
        for field in ("reference", "pspReference", "name", "timestamp", "idempotencyKey")
    )
    return ProviderStatus(
        provider_reference=reference,
        state=state,
        authorized_ore=amount if success and name == "AUTHORIZED" else None,
        cancelled_ore=amount if success and name == "CANCELLED" else None,
        event_id="vipps-" + hashlib.sha256(f"{identity}|{success}".encode()).hexdigest()[:40],
        event_name=name if success else f"{name} (failed)",
        occurred_at=str(event.get("timestamp") or ""),
        raw=dict(event),
    )
