"""The testbank's webhook signature: HMAC-SHA256 over ``"<timestamp>.<body>"``.

The header is ``Testbank-Signature: t=<unix seconds>,v1=<hex digest>``, the scheme Stripe and
Standard Webhooks use: the timestamp is signed with the body, so a captured delivery replayed
outside the window is refused even though its signature is genuine.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Testbank-Signature"
TOLERANCE_SECONDS = 300


class SignatureError(Exception):
    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


def sign(body: bytes, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(
    body: bytes,
    header: str,
    secret: str,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> None:
    """Raise SignatureError (401 forged or unsigned, 400 outside the window)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    timestamp, given = parts.get("t", ""), parts.get("v1", "")
    if not timestamp.isdigit() or not given:
        raise SignatureError("missing or malformed signature", status=401)
    expected = sign(body, secret, int(timestamp)).partition(",v1=")[2]
    if not hmac.compare_digest(expected, given):
        raise SignatureError("signature does not match", status=401)
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        raise SignatureError("timestamp outside the replay window", status=400)
