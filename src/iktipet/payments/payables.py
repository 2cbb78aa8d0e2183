"""What can be paid: a registry of payable kinds, so payments never imports what it is paid for.

The app that owns a kind (``applications`` for "application", ``cases`` for "case",
``booking`` for "booking") registers, in its ``AppConfig.ready()``::

    from iktipet.payments.payables import Payable, register_payable

    class ApplicationFee(Payable):
        def on_authorized(self, order):  # inside the transaction that records it
            submit_paid_application(order.payable_id)  # may raise ActionRefused
        def return_path(self, order):
            return reverse("applications:receipt", args=[order.payable_id])

    register_payable("application", ApplicationFee())

``on_authorized`` runs inside the transaction that records the authorisation. If it raises
``core.errors.ActionRefused`` (a hold expired, the draft changed), nothing it did is kept:
the payment is cancelled at the provider, never captured, and the order is open again.
``on_cancelled`` runs in the transaction that cancels an order (optional).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from iktipet.core.hooks import Hooks

if TYPE_CHECKING:
    from iktipet.payments.models import PaymentOrder


class Payable:
    """The behaviour of one payable kind. Subclass and override what you need."""

    def on_authorized(self, order: PaymentOrder) -> None:
        """The money is reserved: do what the payment was for (submit, settle, confirm)."""

    def on_cancelled(self, order: PaymentOrder) -> None:
        """The order was cancelled (by staff, or because the payable refused it)."""

    def return_path(self, order: PaymentOrder) -> str:
        """Where the person lands after a settled payment: their receipt."""
        from django.urls import reverse

        return reverse("payments:order", args=[order.pk])


#: Keyed by kind ("application", "case", "booking").
payable_hooks: Hooks[Payable] = Hooks("payable")


def register_payable(kind: str, payable: Payable) -> None:
    if not kind or len(kind) > 20:
        raise ValueError(f"Invalid payable kind {kind!r}.")
    payable_hooks.add(kind, payable)


def unregister_payable(kind: str) -> None:
    """Forget ``kind`` (a test that registered its own cleans up with this)."""
    payable_hooks.remove(kind)


def payable_for(kind: str) -> Payable:
    """The registered behaviour of ``kind``; a plain :class:`Payable` for an unknown kind
    (an order outlives the code that made it: it can still be paid, refunded and listed)."""
    for hook in payable_hooks.entries():
        if hook.key == kind:
            return hook.value
    return Payable()


def payable_kinds() -> list[str]:
    return [hook.key for hook in payable_hooks.entries()]
