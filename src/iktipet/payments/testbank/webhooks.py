"""The testbank sends its webhooks as a provider does: signed, over HTTP, from the worker.

A delivery that fails (the platform is down, or answers 5xx) is retried with a growing delay,
a few times; after that only the platform's poller (missed-webhook recovery) learns the state.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import httpx
from django.conf import settings
from django.utils import timezone

from iktipet.core.tasks import background, enqueue
from iktipet.payments.testbank import signing

logger = logging.getLogger(__name__)
MAX_TRIES = 5
TIMEOUT_SECONDS = 10


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST the delivery; the HTTP status. (Tests swap this for their test client.)"""
    response = httpx.post(url, content=body, headers=headers, timeout=TIMEOUT_SECONDS)
    return response.status_code


def signed_delivery(event: dict[str, Any], secret: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(event, separators=(",", ":"), sort_keys=True).encode()
    headers = {"Content-Type": "application/json", signing.HEADER: signing.sign(body, secret)}
    return body, headers


@background()
def deliver_webhook(url: str, event: dict[str, Any], attempt: int) -> None:
    body, headers = signed_delivery(event, settings.TESTBANK_SECRET)
    try:
        status = post(url, body, headers)
    except httpx.HTTPError as exc:
        status, error = 0, str(exc)
    else:
        error = ""
    if status < 500 and status != 0:
        if status >= 400:
            logger.warning("testbank: webhook %s answered %s", event.get("id"), status)
        return
    logger.warning("testbank: webhook %s failed (%s %s)", event.get("id"), status, error)
    if attempt < MAX_TRIES:
        later = timezone.now() + dt.timedelta(seconds=5 * 2**attempt)
        enqueue(deliver_webhook.using(run_after=later), url, event, attempt + 1)
