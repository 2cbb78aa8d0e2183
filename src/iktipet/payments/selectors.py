"""Reads of payment orders, each taking the actor: anyone else gets 404.

A citizen sees the orders of the party they act for now (their own as a person, or the
organisation's). Staff see the orders of the agencies where they hold a role; refunds and
reconciliation need the finance role (``accounts.roles.FINANCE``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.http import Http404

from iktipet.accounts.parties import ActingParty
from iktipet.accounts.roles import AGENCY_ROLES, FINANCE, staff_agencies
from iktipet.core import audit, rows
from iktipet.core.ids import uuid_or_404
from iktipet.core.models import Agency
from iktipet.payments.models import OrderLineRow, PaymentOrder, Refund

if TYPE_CHECKING:
    from iktipet.accounts.types import Viewer

OSLO = ZoneInfo("Europe/Oslo")
STAFF_ROLES = AGENCY_ROLES | {FINANCE}


def _payer(user: Viewer, party: ActingParty) -> Q:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_citizen", False):
        return Q(pk__in=[])
    if party.is_organisation and party.identifier:
        return Q(party_kind="organisation", party_identifier=party.identifier)
    return Q(user_id=user.pk, party_kind="person")


def orders_for_payer(user: Viewer, party: ActingParty) -> QuerySet[PaymentOrder]:
    """The orders of the party the user acts for now (Min side), newest first."""
    return (
        PaymentOrder.objects.filter(_payer(user, party))
        .exclude(state=PaymentOrder.State.CANCELLED)
        .select_related("agency")
        .order_by("-created_at")
    )


def orders_for_payer_parties(
    user: Viewer, parties: Sequence[ActingParty]
) -> QuerySet[PaymentOrder]:
    """The orders of every party Min side shows (each checked as the page checked it)."""
    reachable = Q(pk__in=[])
    for party in parties:
        reachable |= _payer(user, party)
    return (
        PaymentOrder.objects.filter(reachable)
        .exclude(state=PaymentOrder.State.CANCELLED)
        .select_related("agency")
        .order_by("-created_at")
    )


def owner_of_order_for_citizen(user: Viewer, order_id: Any) -> ActingParty | None:
    """Whom an order belongs to, for a link that must switch party first
    (``accounts.links.switch_for_link`` checks the right to act). A person's order has an
    owner only for that person; None for anyone else or no such order."""
    found = PaymentOrder.objects.filter(pk=uuid_or_404(order_id)).first()
    if found is None or not getattr(user, "is_authenticated", False):
        return None
    if found.party_kind == PaymentOrder.PartyKind.ORGANISATION:
        return ActingParty("organisation", found.party_identifier, found.party_name)
    if found.user_id == user.pk:
        return ActingParty("person", "", found.party_name)
    return None


_pk_field = PaymentOrder._meta.get_field("id")


def _payer_params(
    user: Viewer, party: ActingParty, organisation: bool, pk: uuid.UUID
) -> Callable[[Any], list[Any]]:
    """The parameters of ``_payer()``'s filter and then ``pk=``, in the compiled SQL's order."""

    def params(connection: Any) -> list[Any]:
        # Q() orders its keyword filters by name: party_identifier, party_kind, user_id.
        payer: list[Any] = (
            [party.identifier, "organisation"] if organisation else ["person", user.pk]
        )
        return [*payer, _pk_field.get_db_prep_value(pk, connection)]

    return params


def order_for_payer(user: Viewer, party: ActingParty, order_id: Any) -> PaymentOrder:
    pk = uuid_or_404(order_id)
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_citizen", False):
        raise Http404  # _payer() reaches no order
    # Read on every "Betal" and return from a provider: SQL compiled once per connection
    # (core.rows), with _payer()'s filter; its parameters in the SQL's order.
    organisation = bool(party.is_organisation and party.identifier)
    return rows.first_or_404(
        PaymentOrder,
        ("payments.order_for_payer", organisation),
        lambda using: (
            PaymentOrder.objects.using(using)
            .filter(_payer(user, party))
            .select_related("agency")
            .filter(pk=pk)
            .order_by()
        ),
        _payer_params(user, party, organisation, pk),
    )


@dataclass(frozen=True, slots=True)
class OrderOnPage:
    """An order as its payer's page shows it: plain values, no model instance (the page
    only writes them). ``lines``: (text, quantity, unit price in øre, VAT percent), in order."""

    pk: uuid.UUID
    reference: str
    title: str
    amount_ore: int
    state: str
    due_date: dt.date | None
    paid_at: dt.datetime | None
    reason: str
    refunded_ore: int
    payable_kind: str
    payable_id: str
    agency_name_nb: str
    agency_name_en: str
    lines: tuple[tuple[str, int, int, int], ...]

    @property
    def is_payable(self) -> bool:
        return self.state in PaymentOrder.PAYABLE

    def as_order(self) -> PaymentOrder:
        """An unsaved instance with these values, for a payable's ``return_path`` (which
        reads the order's id and payable); never saved."""
        return PaymentOrder(id=self.pk, **{name: getattr(self, name) for name in _OWN_FIELDS})


#: OrderOnPage's fields but ``pk`` and ``lines``, then a line's, as the statement reads them.
_ORDER_COLUMNS = (
    "reference",
    "title",
    "amount_ore",
    "state",
    "due_date",
    "paid_at",
    "reason",
    "refunded_ore",
    "payable_kind",
    "payable_id",
    "agency__name_nb",
    "agency__name_en",
)
#: The order's own fields among them (the rest are its agency's).
_OWN_FIELDS = _ORDER_COLUMNS[:-2]
_LINE_COLUMNS = ("lines__text", "lines__quantity", "lines__unit_price_ore", "lines__vat_percent")
_LINES_AT = len(_ORDER_COLUMNS)


def order_page_for_payer(user: Viewer, party: ActingParty, order_id: Any) -> OrderOnPage:
    """The order, its agency's name and its lines, for its payer's page: one statement
    (the lines joined, one row each; an order without lines is one row of NULLs there),
    compiled once per connection, with ``_payer()``'s filter as ``order_for_payer`` has it.
    404 for anyone else."""
    pk = uuid_or_404(order_id)
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_citizen", False):
        raise Http404  # _payer() reaches no order
    organisation = bool(party.is_organisation and party.identifier)
    found = rows.values(
        PaymentOrder,
        ("payments.order_page_for_payer", organisation),
        lambda using: (
            PaymentOrder.objects.using(using)
            .filter(_payer(user, party))
            .filter(pk=pk)
            .values_list(*_ORDER_COLUMNS, *_LINE_COLUMNS)
            .order_by("lines__position")
        ),
        _payer_params(user, party, organisation, pk),
    )
    if not found:
        raise Http404
    lines = tuple(row[_LINES_AT:] for row in found if row[_LINES_AT] is not None)
    return OrderOnPage(pk, *found[0][:_LINES_AT], lines=lines)  # type: ignore[misc]


def order_lines(order: PaymentOrder) -> list[OrderLineRow]:
    """The order's lines in order (the staff page shows them all)."""
    return rows.every(
        OrderLineRow,
        "payments.order_lines",
        lambda using: OrderLineRow.objects.using(using).filter(order_id=order.pk),
        lambda connection: [_pk_field.get_db_prep_value(order.pk, connection)],
    )


def done_refunds(order: OrderOnPage) -> list[tuple[int, dt.datetime | None]]:
    """The refunds paid back to the payer: (amount in øre, when), oldest first. A refund
    reserves its amount on the order before it exists (services.refunds), so an order with
    nothing refunded has none: no query."""
    if not order.refunded_ore:
        return []
    return rows.values(
        Refund,
        "payments.done_refunds",
        lambda using: (
            Refund.objects.using(using)
            .filter(order_id=order.pk, state=Refund.State.DONE)
            .values_list("amount_ore", "completed_at")
        ),
        lambda connection: [
            _pk_field.get_db_prep_value(order.pk, connection),
            Refund.State.DONE.value,
        ],
    )


def orders_for_payable(kind: str, payable_id: str) -> QuerySet[PaymentOrder]:
    """Every order of one payable (the live one and cancelled ones), newest first. For the
    owner of the payable, which has checked the reader's access to it already."""
    return PaymentOrder.objects.filter(payable_kind=kind, payable_id=str(payable_id)).order_by(
        "-created_at"
    )


def live_order_for_payable(kind: str, payable_id: str) -> PaymentOrder | None:
    """The payable's order that is not cancelled (paid, or still to pay), if any."""
    return orders_for_payable(kind, payable_id).exclude(state=PaymentOrder.State.CANCELLED).first()


def staff_payment_agencies(user: Viewer, *, finance: bool = False) -> QuerySet[Agency]:
    return staff_agencies(user, {FINANCE} if finance else STAFF_ROLES)


def orders_for_staff(user: Viewer) -> QuerySet[PaymentOrder]:
    return PaymentOrder.objects.filter(agency__in=staff_payment_agencies(user))


def order_for_staff(user: Viewer, order_id: Any) -> PaymentOrder:
    """One order for a staff member of its agency; the read is audited."""
    try:
        found = (
            orders_for_staff(user)
            .select_related("agency", "user", "created_by")
            .get(pk=uuid_or_404(order_id))
        )
    except PaymentOrder.DoesNotExist:
        raise Http404 from None
    audit.record(user, "payments.read", found, {"reference": found.reference})
    return found


# --- reconciliation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Movement:
    """One movement of money on a day: a capture (positive) or a refund (negative)."""

    at: dt.datetime
    kind: str  # "capture" | "refund"
    order: PaymentOrder
    amount_ore: int  # signed: refunds are negative
    fee_ore: int
    provider_reference: str
    operation_reference: str


@dataclass(frozen=True)
class Reconciliation:
    agency: Agency
    day: dt.date
    movements: list[Movement]

    @property
    def captured_ore(self) -> int:
        return sum(m.amount_ore for m in self.movements if m.kind == "capture")

    @property
    def refunded_ore(self) -> int:
        return -sum(m.amount_ore for m in self.movements if m.kind == "refund")

    @property
    def fee_ore(self) -> int:
        return sum(m.fee_ore for m in self.movements)

    @property
    def net_ore(self) -> int:
        return self.captured_ore - self.refunded_ore


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """A day in Oslo as UTC instants (23 or 25 hours across a DST change)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=OSLO)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=OSLO)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def reconciliation_for_staff(user: Viewer, agency: Agency, day: dt.date) -> Reconciliation:
    """The day's captures and completed refunds of ``agency``: what an accountant matches
    against the provider's settlement. Only for the agency's finance role (else 404)."""
    if not staff_payment_agencies(user, finance=True).filter(pk=agency.pk).exists():
        raise Http404
    start, end = day_bounds(day)
    movements = [
        Movement(
            at=order.paid_at,
            kind="capture",
            order=order,
            amount_ore=order.captured_ore,
            fee_ore=order.fee_ore or 0,
            provider_reference=order.provider_reference,
            operation_reference="",
        )
        for order in PaymentOrder.objects.filter(
            agency=agency, paid_at__gte=start, paid_at__lt=end
        ).order_by("paid_at")
        if order.paid_at is not None
    ]
    refunds = Refund.objects.filter(
        order__agency=agency,
        state=Refund.State.DONE,
        completed_at__gte=start,
        completed_at__lt=end,
    ).select_related("order")
    movements += [
        Movement(
            at=row.completed_at,
            kind="refund",
            order=row.order,
            amount_ore=-row.amount_ore,
            fee_ore=0,
            provider_reference=row.order.provider_reference,
            operation_reference=row.provider_reference,
        )
        for row in refunds
        if row.completed_at is not None
    ]
    movements.sort(key=lambda movement: movement.at)
    audit.record(user, "payments.reconciliation_read", agency, {"day": day.isoformat()})
    return Reconciliation(agency=agency, day=day, movements=movements)
