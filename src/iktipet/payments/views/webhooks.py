"""Where providers report: verified, idempotent, and in any order (see ``settle_from_provider``).

A forged or unsigned delivery is answered 401 and a replayed or malformed one 400, and
neither changes anything. Providers retry deliveries that do not get a 2xx, so an order the
platform cannot find is answered 200 (retrying would not help) and a failure of ours is 500.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from iktipet.core.ids import valid_uuids
from iktipet.payments import gateway, services
from iktipet.payments.models import PaymentAttempt
from iktipet.payments.providers.base import WebhookRejected, payment_providers

logger = logging.getLogger(__name__)


def _attempt_secret(request: HttpRequest, provider: str) -> str:
    """The per-payment secret (Nets echoes it as Authorization), named by the webhook URL."""
    ids = valid_uuids([request.GET.get("attempt", "")])
    if not ids:
        return ""
    found = PaymentAttempt.objects.filter(pk=ids[0], provider=provider).values_list(
        "webhook_secret", flat=True
    )
    return next(iter(found), "")


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    if provider not in payment_providers:
        raise Http404
    plugin = gateway.provider(provider)
    try:
        status = plugin.verify_webhook(
            body=request.body,
            headers=request.headers,
            path_and_query=request.get_full_path(),
            secret=_attempt_secret(request, provider),
        )
    except WebhookRejected as rejected:
        logger.warning("payments: %s webhook rejected: %s", provider, rejected)
        return HttpResponse(str(rejected.status), status=rejected.status, content_type="text/plain")
    order = services.settle_from_provider(provider, status)
    if order is None:
        logger.info("payments: %s webhook for an unknown payment", provider)
    return HttpResponse("OK", content_type="text/plain")
