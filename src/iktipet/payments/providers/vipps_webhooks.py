"""Vipps' webhook request authentication (developer.vippsmobilepay.com, webhooks-api,
request-authentication): HMAC-SHA256 with the registration's secret over

    POST\\n<path and query>\\n<x-ms-date>;<host>;<x-ms-content-sha256>

where ``x-ms-content-sha256`` is the base64 SHA-256 of the body, sent as
``Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=…``.

What is refused, and how: a missing or wrong signature, or a body whose hash is not the one
signed, is forged (401); a genuine request whose ``x-ms-date`` lies outside the window is a
replay (400); so is a body that is not a JSON object.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from iktipet.payments.providers.base import WebhookRejected

SIGNED_HEADERS = "x-ms-date;host;x-ms-content-sha256"


def content_hash(body: bytes) -> str:
    return base64.b64encode(hashlib.sha256(body).digest()).decode()


def string_to_sign(*, method: str, path_and_query: str, date: str, host: str, hashed: str) -> str:
    return f"{method}\n{path_and_query}\n{date};{host};{hashed}"


def signature(secret: str, message: str) -> str:
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_headers(
    *, secret: str, body: bytes, path_and_query: str, host: str, now: datetime
) -> dict[str, str]:
    """The headers Vipps sends with a webhook (for the test server and the tests)."""
    date = format_datetime(now, usegmt=True)
    hashed = content_hash(body)
    message = string_to_sign(
        method="POST", path_and_query=path_and_query, date=date, host=host, hashed=hashed
    )
    return {
        "x-ms-date": date,
        "x-ms-content-sha256": hashed,
        "host": host,
        "authorization": (
            f"HMAC-SHA256 SignedHeaders={SIGNED_HEADERS}&Signature={signature(secret, message)}"
        ),
    }


def verify_signature(
    *,
    body: bytes,
    headers: Mapping[str, str],
    path_and_query: str,
    secret: str,
    now: datetime,
    window_seconds: int,
) -> dict[str, Any]:
    """The webhook's JSON body once its signature, content hash and date check out."""
    if not secret:
        raise WebhookRejected("vipps: no webhook secret is configured", status=401)
    lower = {name.lower(): value for name, value in headers.items()}
    date = lower.get("x-ms-date", "")
    hashed = lower.get("x-ms-content-sha256", "")
    host = lower.get("host", "")
    authorization = lower.get("authorization", "")
    prefix = f"HMAC-SHA256 SignedHeaders={SIGNED_HEADERS}&Signature="
    if not (date and hashed and host and authorization.startswith(prefix)):
        raise WebhookRejected("vipps: the webhook is not signed", status=401)
    message = string_to_sign(
        method="POST", path_and_query=path_and_query, date=date, host=host, hashed=hashed
    )
    given = authorization[len(prefix) :]
    if not hmac.compare_digest(given.encode(), signature(secret, message).encode()):
        raise WebhookRejected("vipps: wrong webhook signature", status=401)
    if not hmac.compare_digest(hashed.encode(), content_hash(body).encode()):
        raise WebhookRejected("vipps: the body is not the one signed", status=401)
    try:
        sent = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        raise WebhookRejected("vipps: unreadable x-ms-date", status=400) from None
    if sent.tzinfo is None or abs((now - sent).total_seconds()) > window_seconds:
        raise WebhookRejected("vipps: x-ms-date is outside the replay window", status=400)
    try:
        event = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise WebhookRejected("vipps: the webhook body is not JSON", status=400) from None
    if not isinstance(event, dict):
        raise WebhookRejected("vipps: the webhook body is not an object", status=400)
    return event
