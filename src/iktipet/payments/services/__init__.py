"""Every write of the payments app: one function per action (views and tasks touch no rows).

- :func:`create_order` — the order for a payable (idempotent while unpaid)
- :func:`start_payment` — send the person to a provider (returns the URL)
- :func:`refresh_from_provider` — ask the provider (the return page, the poller)
- :func:`settle_from_provider` — apply a provider's report (webhooks, status queries)
- :func:`capture`, :func:`cancel`, :func:`refund` — the worker's and staff's actions
- :func:`poll_pending` — the periodic missed-webhook recovery
"""

from iktipet.payments.services.orders import cancel, create_order
from iktipet.payments.services.paying import (
    payer_matches,
    refresh_from_provider,
    settle_from_provider,
    start_payment,
)
from iktipet.payments.services.refunds import complete_refund, may_refund, refund
from iktipet.payments.services.worker import cancel_attempt, capture, expire_attempt, poll_pending

__all__ = [
    "cancel",
    "cancel_attempt",
    "capture",
    "complete_refund",
    "create_order",
    "expire_attempt",
    "may_refund",
    "payer_matches",
    "poll_pending",
    "refresh_from_provider",
    "refund",
    "settle_from_provider",
    "start_payment",
]
