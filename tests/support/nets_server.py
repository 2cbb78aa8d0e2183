"""A local Nets Easy / Nexi Checkout payment API v1 over real HTTP, for tests.

It answers as Nets does where a client can tell: the secret key as the whole Authorization
header, ``paymentId`` and ``hostedPaymentPageUrl`` on create, a summary that leaves out
amounts that are zero, charges and refunds by id, full cancels only, Idempotency-Key replays
on charges and refunds, and its two error shapes (``{"errors": {field: [..]}}`` for a bad
request, ``{"message", "code", "source"}`` otherwise). It refuses what Nets refuses in a
create: items that do not add up, a hosted page without returnUrl or termsUrl, a webhook
authorization outside 8-64 of ``[A-Za-z0-9-= ]``.

Knobs: ``reserve`` (the person pays), ``fail_next``/``delay_next``, and ``webhook`` (the
request Nets would send, built from its official example bodies).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from support.provider_server import ProviderServer

PAYLOADS = (
    Path(__file__).resolve().parents[1] / "payments" / "providers" / "specs" / "nets-webhooks"
)
_AUTHORIZATION = re.compile(r"^[A-Za-z0-9\-= ]{8,64}$")


def bad_request(field: str, message: str) -> tuple[int, Any]:
    return 400, {"errors": {field: [message]}}


class FakeNets(ProviderServer):
    def __init__(self, *, secret_key: str = "test-secret-key-0123456789abcdef") -> None:
        super().__init__()
        self.secret_key = secret_key
        self.payments: dict[str, dict[str, Any]] = {}
        self.charges: dict[str, dict[str, Any]] = {}
        self._replies: dict[tuple[str, str], tuple[int, Any]] = {}
        self._lock = threading.Lock()

    # --- knobs (and fail_next / delay_next) -------------------------------------------------

    def reserve(self, payment_id: str) -> None:
        payment = self.payments[payment_id]
        payment["summary"]["reservedAmount"] = payment["orderDetails"]["amount"]

    def webhook(self, example: str, payment_id: str, authorization: str) -> tuple[bytes, dict]:
        """The official example ``example`` (file name) about ``payment_id``, as Nets sends it."""
        event = json.loads((PAYLOADS / example).read_text(encoding="utf-8"))
        event["data"]["paymentId"] = payment_id
        order = self.payments[payment_id]["orderDetails"]
        amount = {"amount": order["amount"], "currency": order["currency"]}
        if "amount" in event["data"]:
            event["data"]["amount"] = amount  # the example's own is another shop's
        if "order" in event["data"]:
            event["data"]["order"]["amount"] = amount
        body = json.dumps(event).encode()
        return body, {"Authorization": authorization, "Content-Type": "application/json"}

    # --- HTTP -------------------------------------------------------------------------------

    def respond(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, str]:
        lower = {name.lower(): value for name, value in headers.items()}
        status, answer = self.take_fault() or self._answer(
            method, urlsplit(target).path, lower, body
        )
        payload = b"" if answer is None else json.dumps(answer).encode()
        return status, payload, "application/json"

    def _answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        if headers.get("authorization") != self.secret_key:
            return 401, None
        try:
            data = json.loads(body) if body else {}
        except json.JSONDecodeError:
            return bad_request("body", "The request body is not valid JSON")
        key = headers.get("idempotency-key", "")
        with self._lock:
            if key and (path, key) in self._replies:
                return self._replies[(path, key)]
            answer = self._route(method, path.strip("/").split("/"), data)
            if key and method == "POST" and answer[0] < 500:
                self._replies[(path, key)] = answer
            return answer

    def _route(self, method: str, parts: list[str], data: dict[str, Any]) -> tuple[int, Any]:
        if parts == ["v1", "payments"] and method == "POST":
            return self._create(data)
        if parts[:2] == ["v1", "charges"] and parts[3:] == ["refunds"] and method == "POST":
            return self._refund(parts[2], data)
        if parts[:2] != ["v1", "payments"] or len(parts) < 3:
            return 404, None
        payment = self.payments.get(parts[2])
        if payment is None:
            return 404, {"message": "Payment not found", "code": "1001", "source": "Internal"}
        action = parts[3:]
        if method == "GET" and not action:
            return 200, {"payment": self._view(payment)}
        if method == "POST" and action == ["charges"]:
            return self._charge(payment, data)
        if method == "POST" and action == ["cancels"]:
            return self._cancel(payment, data)
        if method == "PUT" and action == ["terminate"]:
            if payment["summary"].get("reservedAmount"):
                return 400, {"message": "The payment is reserved", "code": "1005", "source": "x"}
            payment["terminated"] = _now()
            return 204, None
        return 404, None

    def _create(self, data: dict[str, Any]) -> tuple[int, Any]:
        order = data.get("order") or {}
        items = order.get("items") or []
        if not items:
            return bad_request("order.items", "The order must have at least one item")
        for item in items:
            for name in ("reference", "name", "quantity", "unit", "unitPrice", "netTotalAmount"):
                if name not in item:
                    return bad_request(f"order.items.{name}", "Required")
            if item["unitPrice"] * item["quantity"] != item["netTotalAmount"]:
                return bad_request("order.items.netTotalAmount", "unitPrice * quantity")
            if item["netTotalAmount"] + item.get("taxAmount", 0) != item["grossTotalAmount"]:
                return bad_request("order.items.grossTotalAmount", "netTotalAmount + taxAmount")
        if sum(item["grossTotalAmount"] for item in items) != order.get("amount"):
            return bad_request("order.amount", "The amount does not match the order items")
        checkout = data.get("checkout") or {}
        if checkout.get("integrationType") == "HostedPaymentPage":
            for name in ("returnUrl", "termsUrl"):
                if not checkout.get(name):
                    return bad_request(f"checkout.{name}", f"{name} is required")
        for hook in (data.get("notifications") or {}).get("webHooks") or []:
            if not _AUTHORIZATION.match(str(hook.get("authorization", ""))):
                return bad_request("notifications.webHooks.authorization", "Invalid")
        payment_id = uuid.uuid4().hex
        self.payments[payment_id] = {
            "paymentId": payment_id,
            "summary": {},
            "orderDetails": {
                "amount": order["amount"],
                "currency": order.get("currency"),
                "reference": order.get("reference"),
            },
            "checkout": {"url": "", "cancelUrl": checkout.get("cancelUrl")},
            "created": _now(),
            "charges": [],
            "refunds": [],
            "request": data,
        }
        page = f"{self.url}/hpp/?pid={payment_id}&checkoutKey=abc"
        return 201, {"paymentId": payment_id, "hostedPaymentPageUrl": page}

    def _charge(self, payment: dict[str, Any], data: dict[str, Any]) -> tuple[int, Any]:
        summary = payment["summary"]
        amount = data.get("amount", 0)
        left = (
            summary.get("reservedAmount", 0)
            - summary.get("chargedAmount", 0)
            - summary.get("cancelledAmount", 0)
        )
        if not summary.get("reservedAmount"):
            return 400, {"message": "The payment is not reserved", "code": "1003", "source": "x"}
        if amount <= 0 or amount > left:
            return bad_request("amount", "Amount exceeds the reserved amount")
        charge_id = uuid.uuid4().hex
        charge = {"chargeId": charge_id, "amount": amount, "created": _now(), "refunded": 0}
        payment["charges"].append(charge)
        self.charges[charge_id] = {"payment": payment, "charge": charge}
        summary["chargedAmount"] = summary.get("chargedAmount", 0) + amount
        return 201, {"chargeId": charge_id}

    def _refund(self, charge_id: str, data: dict[str, Any]) -> tuple[int, Any]:
        found = self.charges.get(charge_id)
        if found is None:
            return 404, {"message": "Charge not found", "code": "1002", "source": "Internal"}
        charge, payment = found["charge"], found["payment"]
        amount = data.get("amount", 0)
        if amount <= 0 or amount > charge["amount"] - charge["refunded"]:
            return bad_request("amount", "Amount exceeds the charged amount")
        charge["refunded"] += amount
        refund_id = uuid.uuid4().hex
        payment["refunds"].append(
            {"refundId": refund_id, "amount": amount, "state": "Pending", "lastUpdated": _now()}
        )
        summary = payment["summary"]
        summary["refundedAmount"] = summary.get("refundedAmount", 0) + amount
        return 201, {"refundId": refund_id}

    def _cancel(self, payment: dict[str, Any], data: dict[str, Any]) -> tuple[int, Any]:
        summary = payment["summary"]
        if summary.get("chargedAmount") or summary.get("cancelledAmount"):
            return 400, {
                "message": "The payment cannot be cancelled",
                "code": "1004",
                "source": "x",
            }
        if data.get("amount") != summary.get("reservedAmount"):
            return bad_request("amount", "Only full cancels are allowed")
        summary["cancelledAmount"] = data["amount"]
        return 204, None

    def _view(self, payment: dict[str, Any]) -> dict[str, Any]:
        view = {k: v for k, v in payment.items() if k != "request"}
        view["charges"] = [
            {k: v for k, v in charge.items() if k != "refunded"} for charge in payment["charges"]
        ]
        if not view["charges"]:
            del view["charges"]  # Nets leaves out what is empty
        return json.loads(json.dumps(view))


def _now() -> str:
    return datetime.now(UTC).isoformat()
