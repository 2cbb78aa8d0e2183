"""What every payment action shares: the history row, the audit row and the domain event."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iktipet.core import audit
from iktipet.core.events import record_event
from iktipet.messaging import services as messaging
from iktipet.payments.models import OrderEvent, PaymentAttempt, PaymentOrder

if TYPE_CHECKING:
    from iktipet.accounts.types import User

SOURCE = "/payments"


def new_key() -> str:
    """An idempotency key: stored before the provider call that carries it."""
    return uuid.uuid4().hex


def actor_label(user: User | None) -> str:
    if user is None:
        return _("Systemet")
    return user.get_full_name() or user.get_username()


def record_change(
    order: PaymentOrder,
    name: str,
    *,
    user: User | None = None,
    from_state: str = "",
    attempt: PaymentAttempt | None = None,
    details: dict[str, Any] | None = None,
    event: str | None = None,
) -> None:
    """The history row, the audit row and the domain event ``payment.<event>`` (``event``
    defaults to ``name``: the agreed ones are created, authorized, captured, cancelled,
    refunded, failed and expired), all in the caller's transaction. Details hold amounts
    and references, never a person."""
    details = dict(details or {})
    OrderEvent.objects.create(
        order=order,
        attempt=attempt,
        name=name,
        from_state=from_state,
        to_state=order.state,
        actor_label=actor_label(user)[:200],
        details=details,
    )
    audit.record(user, f"payments.{name}", order, {"reference": order.reference, **details})
    # Every change is an event: back-office systems see what the history shows.
    record_event(
        f"payment.{event or name}",
        subject=f"payments/{order.pk}",
        source=SOURCE,
        agency=order.agency,
        data={
            "reference": order.reference,
            "payable_kind": order.payable_kind,
            "payable_id": order.payable_id,
            "state": order.state,
            "amount_ore": order.amount_ore,
            **details,
        },
    )


def move(order: PaymentOrder, to_state: str, *, allowed: tuple[str, ...], **changes: Any) -> bool:
    """Move ``order`` to ``to_state`` only if it is still in one of ``allowed`` (a conditional
    UPDATE, never read-then-write); on success the instance is updated too."""
    changes.setdefault("updated_at", timezone.now())
    updated = PaymentOrder.objects.filter(pk=order.pk, state__in=allowed).update(
        state=to_state, **changes
    )
    if updated:
        order.state = to_state
        for name, value in changes.items():
            setattr(order, name, value)
    return bool(updated)


def notify_payer(order: PaymentOrder, event: str, *, amount_ore: int, **context: Any) -> None:
    """Tell the payer (``payment.claim``, ``payment.refunded``); details are on Min side."""
    if order.user is None:
        return
    person = getattr(order.user, "person", None)
    messaging.notify(
        event=event,
        pid=person.pid if person is not None else None,
        user=order.user,
        agency=order.agency,
        link_path=reverse("payments:order", args=[order.pk]),
        context={
            "reference": order.reference,
            "service_title": order.title,
            "agency_name": order.agency.name,
            # Øre: written out in the language the notice goes out in (chosen at delivery).
            "amount_ore": amount_ore,
            **context,
        },
    )
