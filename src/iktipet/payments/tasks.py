"""The payments app's background work. Each task calls one service; a provider that does
not answer raises, and the task is retried by the poller (``poll_payments``)."""

from __future__ import annotations

import logging
from datetime import timedelta

from iktipet.core.tasks import background
from iktipet.ops.periodic import every

logger = logging.getLogger(__name__)


@background()
def capture_order(order_id: str) -> None:
    from iktipet.payments.models import PaymentOrder
    from iktipet.payments.providers.base import ProviderUnavailable
    from iktipet.payments.services import capture

    order = PaymentOrder.objects.filter(pk=order_id).first()
    if order is None:
        return
    try:
        capture(order)
    except ProviderUnavailable:
        logger.warning("payments: capture of %s deferred: provider unavailable", order.reference)


@background()
def cancel_attempt(attempt_id: str) -> None:
    from iktipet.payments.models import PaymentAttempt
    from iktipet.payments.providers.base import ProviderError
    from iktipet.payments.services import cancel_attempt as cancel

    attempt = PaymentAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        return
    try:
        cancel(attempt)
    except ProviderError:
        logger.warning("payments: cancel of attempt %s deferred", attempt_id)


@every(timedelta(minutes=1), name="payments.poll")
@background(queue_name="periodic")
def poll_payments() -> None:
    """The missed-webhook recovery (see ``services.worker.poll_pending``)."""
    from iktipet.payments.services import poll_pending

    counts = poll_pending()
    if any(counts.values()):
        logger.info("payments: poll %s", counts)
