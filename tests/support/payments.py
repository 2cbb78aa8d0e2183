"""Helpers for the payments tests: a payable kind that records, making an order, the worker."""

from __future__ import annotations

from iktipet.core.errors import ActionRefused
from iktipet.payments.payables import Payable
from iktipet.payments.providers.base import OrderLine

KARI = "17819049912"
OLA = "24838299685"


class RecordingPayable(Payable):
    """A payable kind for tests: records its calls; ``refuse`` makes on_authorized refuse."""

    def __init__(self) -> None:
        self.authorized: list[str] = []
        self.cancelled: list[str] = []
        self.refuse = ""

    def on_authorized(self, order):
        if self.refuse:
            raise ActionRefused(self.refuse)
        self.authorized.append(order.payable_id)

    def on_cancelled(self, order):
        self.cancelled.append(order.payable_id)

    def return_path(self, order):
        return f"/min-side/?paid={order.payable_id}"


def make_order(agency, person, payable_id="p1", lines=None, **extra):
    from iktipet.accounts.parties import myself
    from iktipet.payments import services

    return services.create_order(
        payable=("test", payable_id),
        agency=agency,
        title="Skjenkebevilling for en enkelt anledning",
        lines=lines or [OrderLine("Gebyr", 1, 52_000)],
        user=person.user,
        party=myself(person),
        **extra,
    )


def run_worker():
    """Run every queued task (webhooks, captures, notifications) as the worker would."""
    from iktipet.ops.worker import run_worker as run

    run(batch=True)
