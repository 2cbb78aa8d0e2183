"""The payments app's tables: orders and what belongs to them, and the testbank's own book."""

from iktipet.payments.models.orders import (
    OrderEvent,
    OrderLineRow,
    PaymentAttempt,
    PaymentOrder,
    ProcessedWebhook,
    Refund,
)
from iktipet.payments.models.testbank import TestbankPayment

__all__ = [
    "OrderEvent",
    "OrderLineRow",
    "PaymentAttempt",
    "PaymentOrder",
    "ProcessedWebhook",
    "Refund",
    "TestbankPayment",
]
