"""Standard Webhooks signatures (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``:
HMAC-SHA256 over ``id.timestamp.body``), with the ``standardwebhooks`` package.

During a secret rotation both the new and the previous secret sign, so a receiver that has
not switched yet still verifies (the spec allows several space-separated signatures).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from iktipet.integrations.models import Subscription


def signed_headers(subscription: Subscription, msg_id: str, body: str) -> dict[str, str]:
    now = timezone.now()
    secrets = [subscription.secret]
    if subscription.previous_secret and (
        subscription.previous_secret_until is None or subscription.previous_secret_until > now
    ):
        secrets.append(subscription.previous_secret)
    moment = dt.datetime.fromtimestamp(int(now.timestamp()), tz=dt.UTC)
    signatures = [Webhook(secret).sign(msg_id, moment, body) for secret in secrets]
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": " ".join(signatures),
        "content-type": "application/cloudevents+json",
    }
