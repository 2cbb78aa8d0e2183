"""Nets Easy / Nexi Checkout payment API v1 with the hosted payment page (INTEGRATIONS.md §4).

The secret key goes straight into the Authorization header. Each payment names its own
webhooks, and Nets echoes the ``authorization`` string we give it (``PaymentRequest.
webhook_secret``) as the callback's Authorization header: that is all a callback proves.

Nets has no single payment state: :func:`summary_status` derives one from the payment's
summary (reserved, charged, refunded and cancelled amounts). A refund is made against a
charge, so ``refund`` looks the charge up on the payment first.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx

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

DEFAULT_BASE_URL = "https://test.api.dibspayment.eu"
LIVE_BASE_URL = "https://api.dibspayment.eu"
#: The events each payment subscribes to (Nets allows 32 webhooks per payment).
WEBHOOK_EVENTS = (
    "payment.created",
    "payment.reservation.created.v2",
    "payment.reservation.failed",
    "payment.checkout.completed",
    "payment.charge.created.v2",
    "payment.charge.failed",
    "payment.refund.initiated.v2",
    "payment.refund.completed",
    "payment.refund.failed",
    "payment.cancel.created",
    "payment.cancel.failed",
)
#: What Nets accepts as a webhook's ``authorization`` (8-64 characters of these).
WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9\-= ]{8,64}$")
_LANGUAGES = {"nb": "nb-NO", "nn": "nb-NO", "en": "en-GB"}

# Event name → the state it shows. Charges, refunds and failed operations move money or
# nothing, never the state (None): their totals come from ``get_status``.
_EVENT_STATES: dict[str, ProviderState | None] = {
    "payment.created": ProviderState.CREATED,
    "payment.reservation.created": ProviderState.AUTHORIZED,
    "payment.reservation.created.v2": ProviderState.AUTHORIZED,
    "payment.checkout.completed": ProviderState.AUTHORIZED,
    "payment.reservation.failed": ProviderState.FAILED,
    "payment.cancel.created": ProviderState.TERMINATED,
}


@payment_providers.register("nets")
class NetsProvider(BasePaymentProvider):
    label = "Nexi Checkout (Nets Easy)"

    def __init__(
        self,
        *,
        secret_key: str = "",
        base_url: str = DEFAULT_BASE_URL,
        terms_url: str = "",
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.secret_key = secret_key
        self.base_url = base_url.rstrip("/")
        self.terms_url = terms_url
        self._http = ProviderHttp(
            "nets", self.base_url, timeout=timeout, parse_error=parse_error, transport=transport
        )

    @classmethod
    def options_from_settings(cls, conf: Any) -> dict[str, Any]:
        return {
            "secret_key": conf.NETS_SECRET_KEY,
            "base_url": conf.NETS_BASE_URL,
            "terms_url": conf.NETS_TERMS_URL,
            "timeout": conf.PAYMENT_PROVIDER_TIMEOUT,
        }

    def check_config(self) -> list[str]:
        problems = []
        if not self.secret_key:
            problems.append(
                "IKTIPET_NETS_SECRET_KEY is not set: Nets needs the secret key "
                "(Nexi portal, Company > Integration)."
            )
        elif self.secret_key.startswith("test-") and self.base_url == LIVE_BASE_URL:
            problems.append("IKTIPET_NETS_SECRET_KEY is a test key but the live API is used.")
        elif self.secret_key.startswith("live-") and self.base_url != LIVE_BASE_URL:
            problems.append(f"IKTIPET_NETS_SECRET_KEY is a live key for {self.base_url}.")
        if not self.terms_url:
            problems.append(
                "IKTIPET_NETS_TERMS_URL is not set: the hosted payment page requires the URL "
                "of the payment terms."
            )
        if urlsplit(self.base_url).scheme != "https":
            problems.append(f"IKTIPET_NETS_BASE_URL={self.base_url!r} is not an https URL.")
        return problems

    # --- payments -------------------------------------------------------------------------

    def create(self, request: PaymentRequest) -> CreatedPayment:
        body: dict[str, Any] = {
            "order": {
                "items": order_items(request),
                "amount": request.amount_ore,
                "currency": request.currency,
                "reference": request.reference,
            },
            "checkout": {
                "integrationType": "HostedPaymentPage",
                "returnUrl": request.return_url,
                "cancelUrl": request.return_url,  # the return page asks us what happened
                "termsUrl": self.terms_url,
                "merchantHandlesConsumerData": True,  # a fee needs no address
                "charge": False,  # captured by the worker once the order is recorded
            },
        }
        if request.webhook_secret:
            if not WEBHOOK_SECRET.match(request.webhook_secret):
                raise ProviderRefused(
                    "nets: the webhook secret must be 8-64 characters of A-Z, a-z, 0-9, '-', "
                    "'=' or space",
                    code="invalid_webhook_secret",
                )
            body["notifications"] = {
                "webHooks": [
                    {
                        "eventName": event,
                        "url": request.webhook_url,
                        "authorization": request.webhook_secret,
                    }
                    for event in WEBHOOK_EVENTS
                ]
            }
        answer = self._call("POST", "/v1/payments", body=body, expect=(201, 200))
        created = json_object(answer, "nets")
        payment_id = created.get("paymentId")
        page = created.get("hostedPaymentPageUrl")
        if not isinstance(payment_id, str) or not payment_id or not isinstance(page, str):
            raise ProviderUnavailable("nets: the created payment has no id or payment page")
        language = _LANGUAGES.get(request.language, "nb-NO")
        separator = "&" if "?" in page else "?"
        return CreatedPayment(
            provider_reference=payment_id, redirect_url=f"{page}{separator}language={language}"
        )

    def get_status(self, provider_reference: str) -> ProviderStatus:
        return summary_status(provider_reference, self._payment(provider_reference))

    def capture(
        self, provider_reference: str, amount_ore: int, *, idempotency_key: str
    ) -> OperationResult:
        path = f"/v1/payments/{provider_reference}/charges"
        return self._move_money(path, amount_ore, idempotency_key, "chargeId")

    def cancel(self, provider_reference: str, *, idempotency_key: str) -> OperationResult:
        """Release the whole reservation (Nets cancels only in full); a checkout nobody
        completed is terminated instead. Nets takes no idempotency key here: asking first
        makes a repeated cancel a no-op."""
        payment = self._payment(provider_reference)
        status = summary_status(provider_reference, payment)
        if status.state in (ProviderState.TERMINATED, ProviderState.FAILED):
            return OperationResult(status=status)
        reserved = status.authorized_ore or 0
        if reserved:
            self._call(
                "POST",
                f"/v1/payments/{provider_reference}/cancels",
                body={"amount": reserved},
                expect=(204, 200),
            )
        else:
            self._call("PUT", f"/v1/payments/{provider_reference}/terminate", expect=(204, 200))
        return OperationResult(status=self.get_status(provider_reference))

    def refund(
        self, provider_reference: str, amount_ore: int, *, idempotency_key: str, reason: str = ""
    ) -> OperationResult:
        charge_id = _charge_for(self._payment(provider_reference), amount_ore)
        path = f"/v1/charges/{charge_id}/refunds"
        return self._move_money(path, amount_ore, idempotency_key, "refundId")

    # --- webhooks -------------------------------------------------------------------------

    def verify_webhook(
        self, *, body: bytes, headers: Mapping[str, str], path_and_query: str, secret: str = ""
    ) -> ProviderStatus:
        """``secret`` is the payment's own (the ``authorization`` it was created with)."""
        given = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            raise WebhookRejected("nets: wrong webhook authorization", status=401)
        try:
            event = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise WebhookRejected("nets: the webhook body is not JSON", status=400) from None
        return webhook_status(event)

    # --- HTTP -----------------------------------------------------------------------------

    def _move_money(self, path: str, amount_ore: int, key: str, id_field: str) -> OperationResult:
        """A charge or a refund: Nets takes an Idempotency-Key on both and answers their id."""
        answer = self._call(
            "POST", path, body={"amount": amount_ore}, idempotency_key=key, expect=(201, 200)
        )
        return OperationResult(operation_reference=text(json_object(answer, "nets").get(id_field)))

    def _payment(self, payment_id: str) -> dict[str, Any]:
        payment = json_object(self._call("GET", f"/v1/payments/{payment_id}"), "nets").get(
            "payment"
        )
        if not isinstance(payment, dict):
            raise ProviderUnavailable("nets: the payment response has no payment")
        return payment

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        idempotency_key: str = "",
        expect: tuple[int, ...] = (200,),
    ) -> Response:
        headers = {"Authorization": self.secret_key}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key[:64]
        return self._http.request(method, path, headers=headers, body=body, expect=expect)


# --- parsing -------------------------------------------------------------------------------


def parse_error(body: Any) -> tuple[str, str]:
    """Nets' 400 ``{"errors": {field: [messages]}}`` or ``{"message", "code", "source"}``."""
    if not isinstance(body, dict):
        return "", ""
    errors = body.get("errors")
    if isinstance(errors, dict) and errors:
        parts = []
        for field, messages in errors.items():
            listed = messages if isinstance(messages, list) else [messages]
            parts.append(f"{field}: {' '.join(text(m) for m in listed)}")
        return "validation", "; ".join(parts)
    return text(body.get("code")), text(body.get("message"))


def order_items(request: PaymentRequest) -> list[dict[str, Any]]:
    """The order lines as Nets items: its unit price excludes VAT, ours includes it."""
    items: list[dict[str, Any]] = []
    for number, line in enumerate(request.lines, start=1):
        gross = line.amount_ore
        # Nets checks unitPrice × quantity = netTotalAmount: round the unit, not the total.
        unit_net = round(line.unit_price_ore * 100 / (100 + line.vat_percent))
        net = unit_net * line.quantity
        items.append(
            {
                "reference": f"{request.reference}-{number}"[:128],
                "name": _nets_text(line.text) or request.reference,
                "quantity": line.quantity,
                "unit": "pcs",
                "unitPrice": unit_net,
                "taxRate": line.vat_percent * 100,
                "taxAmount": gross - net,
                "grossTotalAmount": gross,
                "netTotalAmount": net,
            }
        )
    if not items or sum(item["grossTotalAmount"] for item in items) != request.amount_ore:
        # Nets refuses an order whose items do not add up: charge one line for the total.
        items = [
            {
                "reference": request.reference,
                "name": _nets_text(request.description) or request.reference,
                "quantity": 1,
                "unit": "pcs",
                "unitPrice": request.amount_ore,
                "taxRate": 0,
                "taxAmount": 0,
                "grossTotalAmount": request.amount_ore,
                "netTotalAmount": request.amount_ore,
            }
        ]
    return items


def _nets_text(value: str) -> str:
    """Nets refuses <, > and backslashes in names; at most 128 characters."""
    return re.sub(r"[<>\\]", "", " ".join(value.split()))[:128]


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def summary_status(payment_id: str, payment: Mapping[str, Any]) -> ProviderStatus:
    """A state from the summary: Nets leaves an amount out of it while it is zero."""
    summary = payment.get("summary")
    if not isinstance(summary, dict):
        summary = {}
    reserved = _int(summary.get("reservedAmount"))
    charged = _int(summary.get("chargedAmount"))
    refunded = _int(summary.get("refundedAmount"))
    cancelled = _int(summary.get("cancelledAmount"))
    if cancelled and not charged:
        state = ProviderState.TERMINATED  # the reservation was released, nothing captured
    elif reserved or charged:
        state = ProviderState.AUTHORIZED  # capture and refund show in the amounts
    elif payment.get("terminated"):
        state = ProviderState.TERMINATED  # a checkout we ended before anyone paid
    else:
        state = ProviderState.CREATED
    return ProviderStatus(
        provider_reference=str(payment.get("paymentId") or payment_id),
        state=state,
        authorized_ore=reserved,
        captured_ore=charged,
        refunded_ore=refunded,
        cancelled_ore=cancelled,
        raw=dict(payment),
    )


def _charge_for(payment: Mapping[str, Any], amount_ore: int) -> str:
    """The latest charge large enough to refund ``amount_ore`` from."""
    charges = payment.get("charges")
    if not isinstance(charges, list):
        charges = []
    for charge in reversed(charges):
        if isinstance(charge, dict) and _int(charge.get("amount")) >= amount_ore:
            charge_id = charge.get("chargeId")
            if isinstance(charge_id, str) and charge_id:
                return charge_id
    raise ProviderRefused(
        "nets: no charge on the payment covers the refund", code="no_charge", status=0
    )


def _event_amount(data: Mapping[str, Any]) -> int | None:
    amount = data.get("amount")
    if not isinstance(amount, dict):
        order = data.get("order")
        amount = order.get("amount") if isinstance(order, dict) else None
    if isinstance(amount, dict) and isinstance(amount.get("amount"), int):
        return int(amount["amount"])
    return None


def webhook_status(event: Any) -> ProviderStatus:
    """One Nets webhook body as a status. An unknown event is accepted and changes nothing
    (``state`` None): refusing it would only make Nets send it again and again."""
    if not isinstance(event, dict):
        raise WebhookRejected("nets: the webhook body is not an object", status=400)
    name = event.get("event")
    data = event.get("data")
    if not isinstance(name, str) or not isinstance(data, dict):
        raise WebhookRejected("nets: the webhook has no event or data", status=400)
    payment_id = data.get("paymentId")
    if not isinstance(payment_id, str) or not payment_id:
        raise WebhookRejected("nets: the webhook names no payment", status=400)
    state = _EVENT_STATES.get(name)
    amount = _event_amount(data)
    return ProviderStatus(
        provider_reference=payment_id,
        state=state,
        authorized_ore=amount if state is ProviderState.AUTHORIZED else None,
        cancelled_ore=amount if state is ProviderState.TERMINATED else None,
        # Nets reuses ids across event kinds (its own examples do): the name keeps them apart.
        event_id=f"nets-{name}-{text(event.get('id'))}",
        event_name=name,
        occurred_at=text(event.get("timestamp")),
        raw=dict(event),
    )
