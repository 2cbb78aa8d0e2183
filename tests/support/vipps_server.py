"""A local Vipps MobilePay (access token, ePayment v1, Webhooks v1) over real HTTP, for tests.

It answers as Vipps does where a client can tell: the access token (``expires_in`` as a
string), one payment per reference, Idempotency-Key replays, states that never say CAPTURED
(captures and refunds only move the aggregate), problem+json errors. Every request it gets
(but the token's, which the ePayment document does not cover) is validated against the
official OpenAPI documents with openapi-core, and so is every response it sends whose status
the document declares: ``contract_errors`` collects what did not validate.

Knobs: ``fail_next(status, body)`` answers the next API request with that; ``delay_next``
makes it wait (a timeout); ``approve``/``abort``/``expire`` act as the person would; and
``webhook(...)`` builds the signed request Vipps would send.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Response as WerkzeugResponse

from iktipet.payments.providers.vipps_webhooks import signed_headers
from support.provider_server import ProviderServer

SPECS = Path(__file__).resolve().parents[1] / "payments" / "providers" / "specs" / "vipps"
PROBLEM = "application/problem+json"
#: The webhook secret the tests register their providers with.
WEBHOOK_SECRET = "vipps-webhook-secret"
_SPEC_CACHE: dict[str, dict[str, Any]] = {}


def _spec(name: str) -> dict[str, Any]:
    if name not in _SPEC_CACHE:
        _SPEC_CACHE[name] = yaml.safe_load((SPECS / name).read_text(encoding="utf-8"))
    return _SPEC_CACHE[name]


def _openapi(name: str, server_url: str) -> OpenAPI:
    """The official document with its servers pointed at this local server."""
    spec = {**_spec(name), "servers": [{"url": server_url}]}
    # openapi-core reads application/json only; Vipps' documents also answer problem+json.
    config = Config(extra_media_type_deserializers={PROBLEM: json.loads})
    return OpenAPI.from_dict(spec, base_uri=(SPECS / name).as_uri(), config=config)


def problem(status: int, title: str, detail: str, kind: str) -> dict[str, Any]:
    return {
        "type": f"https://developer.vippsmobilepay.com/docs/APIs/epayment-api/problems#{kind}",
        "title": title,
        "detail": detail,
        "status": status,
        "traceId": uuid.uuid4().hex,
    }


class FakeVipps(ProviderServer):
    def __init__(
        self,
        *,
        client_id: str = "client-id",
        client_secret: str = "client-secret",
        subscription_key: str = "subscription-key",
        msn: str = "123456",
    ) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.subscription_key = subscription_key
        self.msn = msn
        self.token_lifetime = 3599
        self.tokens: set[str] = set()
        self.token_requests = 0
        self.payments: dict[str, dict[str, Any]] = {}
        self.webhooks: dict[str, dict[str, Any]] = {}
        self.contract_errors: list[str] = []
        self._replies: dict[tuple[str, str], tuple[int, Any, str]] = {}
        self._lock = threading.Lock()

    def started(self) -> None:
        self._epayment = _openapi("epayment.v1.localrefs.yml", self.url)
        self._webhooks_api = _openapi("webhooks.v1.swagger.yaml", f"{self.url}/webhooks")

    # --- knobs (and fail_next / delay_next, for every request but the token's) -------------

    def approve(self, reference: str) -> None:
        payment = self.payments[reference]
        payment["state"] = "AUTHORIZED"
        payment["aggregate"]["authorizedAmount"] = payment["amount"]
        self._event(payment, "AUTHORIZED", payment["amount"]["value"], None)

    def abort(self, reference: str) -> None:
        self.payments[reference]["state"] = "ABORTED"
        self._event(self.payments[reference], "ABORTED", 0, None)

    def expire(self, reference: str) -> None:
        self.payments[reference]["state"] = "EXPIRED"
        self._event(self.payments[reference], "EXPIRED", 0, None)

    def webhook(
        self,
        *,
        secret: str,
        reference: str,
        name: str,
        value: int,
        path: str = "/betaling/webhook/vipps/",
        host: str = "iktipet.example",
        now: datetime | None = None,
        success: bool = True,
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers of the webhook Vipps would send about ``reference``."""
        event = {
            "msn": self.msn,
            "reference": reference,
            "pspReference": uuid.uuid4().hex,
            "name": name,
            "amount": {"currency": "NOK", "value": value},
            "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "idempotencyKey": None,
            "success": success,
        }
        body = json.dumps(event).encode()
        headers = signed_headers(
            secret=secret, body=body, path_and_query=path, host=host, now=now or datetime.now(UTC)
        )
        return body, headers

    # --- HTTP -------------------------------------------------------------------------------

    def respond(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, str]:
        path = urlsplit(target).path
        api = None if path == "/accesstoken/get" else self._api_for(path)
        request = None
        if api is not None:
            request = WerkzeugOpenAPIRequest(
                EnvironBuilder(
                    method=method, base_url=self.url, path=target, headers=headers, data=body
                ).get_request()
            )
            try:
                api.validate_request(request)
            except Exception as exc:  # any failure is a finding, reported by the fixture
                self.contract_errors.append(f"request {method} {path}: {exc!r}")
        fault = self.take_fault() if api is not None else None
        if fault is not None:
            # An injected answer: off the document on purpose, so not validated.
            status, answer = fault
            content_type = PROBLEM if isinstance(answer, dict) else "text/plain"
        else:
            status, answer, content_type = self._answer(method, path, headers, body)
        if isinstance(answer, str):
            payload = answer.encode()
        else:
            payload = b"" if answer is None else json.dumps(answer).encode()
        if fault is None and api is not None and request is not None and status < 500:
            self._validate_response(api, request, status, payload, content_type, path)
        return status, payload, content_type

    def _api_for(self, path: str) -> OpenAPI | None:
        if path.startswith("/epayment/"):
            return self._epayment
        if path.startswith("/webhooks/"):
            return self._webhooks_api
        return None

    def _validate_response(
        self,
        api: OpenAPI,
        request: WerkzeugOpenAPIRequest,
        status: int,
        payload: bytes,
        content_type: str,
        path: str,
    ) -> None:
        response = WerkzeugOpenAPIResponse(
            WerkzeugResponse(payload or None, status=status, content_type=content_type)
        )
        try:
            api.validate_response(request, response)
        except Exception as exc:
            if "ResponseNotFound" in type(exc).__name__ or "Unknown response" in str(exc):
                return  # a status the document does not declare (404 on GET): nothing to check
            self.contract_errors.append(f"response {status} {path}: {exc!r} {exc.__cause__!r}")

    def _answer(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any, str]:
        lower = {k.lower(): v for k, v in headers.items()}
        if path == "/accesstoken/get" and method == "POST":
            return self._token(lower)
        token = lower.get("authorization", "").removeprefix("Bearer ")
        if token not in self.tokens:
            return (
                401,
                problem(401, "Unauthorized", "Invalid access token", "unauthorized"),
                PROBLEM,
            )
        if lower.get("ocp-apim-subscription-key") != self.subscription_key:
            return (
                401,
                problem(401, "Unauthorized", "Bad subscription key", "unauthorized"),
                PROBLEM,
            )
        key = lower.get("idempotency-key", "")
        with self._lock:
            if method == "POST" and key and (path, key) in self._replies:
                return self._replies[(path, key)]
            answer = self._route(method, path, lower, body, key)
            if method == "POST" and key and answer[0] < 500:
                self._replies[(path, key)] = answer
            return answer

    def _token(self, headers: dict[str, str]) -> tuple[int, Any, str]:
        self.token_requests += 1
        if (
            headers.get("client_id") != self.client_id
            or headers.get("client_secret") != self.client_secret
            or headers.get("ocp-apim-subscription-key") != self.subscription_key
        ):
            return 401, {"error": "unauthorized_client"}, "application/json"
        token = secrets.token_urlsafe(24)
        self.tokens.add(token)
        now = int(time.time())
        return (
            200,
            {
                "token_type": "Bearer",
                "expires_in": str(self.token_lifetime),
                "ext_expires_in": str(self.token_lifetime),
                "expires_on": str(now + self.token_lifetime),
                "not_before": str(now),
                "resource": "00000002-0000-0000-c000-000000000000",
                "access_token": token,
            },
            "application/json",
        )

    def _route(
        self, method: str, path: str, headers: dict[str, str], body: bytes, key: str
    ) -> tuple[int, Any, str]:
        data = json.loads(body) if body else {}
        parts = path.strip("/").split("/")
        if parts[:2] == ["webhooks", "v1"]:
            return self._webhook_api(method, parts[3:], data)
        if parts[:3] != ["epayment", "v1", "payments"]:
            return 404, problem(404, "Not Found", path, "not-found"), PROBLEM
        rest = parts[3:]
        if method == "POST" and not rest:
            return self._create(data, key)
        payment = self.payments.get(rest[0]) if rest else None
        if payment is None:
            return 404, problem(404, "Not Found", "No such payment", "payment-not-found"), PROBLEM
        if method == "GET" and len(rest) == 1:
            return 200, self._view(payment), "application/json"
        if method == "GET" and rest[1:] == ["events"]:
            return 200, payment["events"], "application/json"
        if method == "POST" and len(rest) == 2:
            return self._adjust(payment, rest[1], data, key)
        return 404, problem(404, "Not Found", path, "not-found"), PROBLEM

    def _create(self, data: dict[str, Any], key: str) -> tuple[int, Any, str]:
        reference = data.get("reference", "")
        if reference in self.payments:
            return (
                409,
                problem(409, "Conflict", "Reference already used", "reference-already-used"),
                PROBLEM,
            )
        if data.get("amount", {}).get("value", 0) < 100:
            return 400, problem(400, "Bad Request", "Amount too low", "validation-error"), PROBLEM
        zero = {"currency": data["amount"]["currency"], "value": 0}
        payment = {
            "reference": reference,
            "amount": data["amount"],
            "state": "CREATED",
            "aggregate": {
                "authorizedAmount": dict(zero),
                "cancelledAmount": dict(zero),
                "capturedAmount": dict(zero),
                "refundedAmount": dict(zero),
            },
            "pspReference": uuid.uuid4().hex,
            "events": [],
            "request": data,
        }
        self.payments[reference] = payment
        self._event(payment, "CREATED", data["amount"]["value"], key)
        token = secrets.token_urlsafe(12)
        return (
            201,
            {"redirectUrl": f"{self.url}/landing?token={token}", "reference": reference},
            "application/json",
        )

    def _adjust(
        self, payment: dict[str, Any], action: str, data: dict[str, Any], key: str
    ) -> tuple[int, Any, str]:
        aggregate = payment["aggregate"]
        value = data.get("modificationAmount", {}).get("value", 0)
        authorized = aggregate["authorizedAmount"]["value"]
        captured = aggregate["capturedAmount"]["value"]
        cancelled = aggregate["cancelledAmount"]["value"]
        refunded = aggregate["refundedAmount"]["value"]
        state = payment["state"]
        if action == "capture":
            if state != "AUTHORIZED" or value > authorized - captured - cancelled:
                return self._refuse("Capture not allowed", "capture-amount-too-high")
            aggregate["capturedAmount"]["value"] += value
            self._event(payment, "CAPTURED", value, key)
        elif action == "refund":
            if value > captured - refunded:
                return self._refuse("Refund not allowed", "refund-amount-too-high")
            aggregate["refundedAmount"]["value"] += value
            self._event(payment, "REFUNDED", value, key)
        elif action == "cancel":
            if state == "CREATED":
                payment["state"] = "TERMINATED"
                aggregate["cancelledAmount"]["value"] = payment["amount"]["value"]
                self._event(payment, "TERMINATED", payment["amount"]["value"], key)
            elif state == "AUTHORIZED" and authorized - captured - cancelled > 0:
                released = authorized - captured - cancelled
                aggregate["cancelledAmount"]["value"] += released
                self._event(payment, "CANCELLED", released, key)
            else:
                return self._refuse("Cancel not allowed", "payment-not-cancellable")
        else:
            return 404, problem(404, "Not Found", action, "not-found"), PROBLEM
        return 200, {**self._view(payment, modification=True)}, PROBLEM  # as the document says

    def _refuse(self, detail: str, kind: str) -> tuple[int, Any, str]:
        return 400, problem(400, "Bad Request", detail, kind), PROBLEM

    def _view(self, payment: dict[str, Any], *, modification: bool = False) -> dict[str, Any]:
        view = {
            "amount": payment["amount"],
            "state": payment["state"],
            "aggregate": payment["aggregate"],
            "pspReference": payment["pspReference"],
            "reference": payment["reference"],
        }
        if not modification:
            view["paymentMethod"] = {"type": "WALLET"}
            view["profile"] = {}
        return json.loads(json.dumps(view))

    def _event(self, payment: dict[str, Any], name: str, value: int, key: str | None) -> None:
        payment["events"].append(
            {
                "reference": payment["reference"],
                "pspReference": uuid.uuid4().hex,
                "name": name,
                # The document lists ``paymentAction`` as required without defining it.
                "paymentAction": name,
                "amount": {"currency": payment["amount"]["currency"], "value": value},
                "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                "idempotencyKey": key or None,
                "success": True,
            }
        )

    def _webhook_api(
        self, method: str, rest: list[str], data: dict[str, Any]
    ) -> tuple[int, Any, str]:
        if method == "POST" and not rest:
            if not str(data.get("url", "")).startswith("https://"):
                return (
                    400,
                    {"title": "Bad Request", "status": 400, "detail": "The URL must use HTTPS"},
                    PROBLEM,
                )
            webhook_id = str(uuid.uuid4())
            secret = secrets.token_urlsafe(32)
            self.webhooks[webhook_id] = {
                "id": webhook_id,
                "url": data["url"],
                "events": data["events"],
                "secret": secret,
            }
            return 201, {"id": webhook_id, "secret": secret}, "application/json"
        if method == "GET" and not rest:
            hooks = [{k: v for k, v in h.items() if k != "secret"} for h in self.webhooks.values()]
            return 200, {"webhooks": hooks}, "application/json"
        if method == "DELETE" and len(rest) == 1:
            self.webhooks.pop(rest[0], None)
            return 204, None, "application/json"
        return 400, {"title": "Bad Request", "status": 400}, PROBLEM
