"""The payments section of Min side, for every party the page shows: claims and payments with
their state and a link to pay or to the receipt; open claims also under "Trenger svar fra deg"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from iktipet.accounts.my_page import (
    ORDER_PAYMENTS,
    Constant,
    NeedsAnswer,
    SectionQuery,
    grouped,
    my_page_query,
    my_page_section,
    needs_answer,
    section_rows,
    shown_parties,
)
from iktipet.accounts.parties import ActingParty
from iktipet.payments.models import PaymentOrder
from iktipet.payments.selectors import orders_for_payer_parties

LIMIT = 50


def _party_key(order: Any) -> tuple[str, str]:
    organisation = order.party_kind == "organisation"
    return (order.party_kind, order.party_identifier if organisation else "")


def _orders(request: HttpRequest) -> list[Any]:
    """The shown parties' orders, newest first (one query, memoised for the request)."""
    memo = getattr(request, "_iktipet_min_side_orders", None)
    if memo is None:
        memo = section_rows(request, "payments.orders", LIMIT)
        setattr(request, "_iktipet_min_side_orders", memo)  # noqa: B010  (a memo, not an API)
    return memo


@my_page_query("payments.orders")
def _orders_query(request: HttpRequest) -> SectionQuery | None:
    """``orders_for_payer_parties`` of the shown parties, for SQL compiled once per
    connection and shape of parties (issue 13); the parameters in the SQL's order, as
    ``_payer`` filters."""
    user, parties = request.user, shown_parties(request)
    if not getattr(user, "is_citizen", False) or not parties:
        return None
    owners = [
        ("organisation", party.identifier)
        if party.is_organisation and party.identifier
        else ("person", user.pk)
        for party in parties
    ]

    def params(connection: Any) -> list[Any]:
        # Q(**kwargs) orders its conditions by name: party_kind before user_id,
        # party_identifier before party_kind.
        found: list[Any] = []
        for kind, key in owners:
            found += [kind, key] if kind == "person" else [key, kind]
        # A constant: SQLite would compare it with the partial index's condition (state is
        # not cancelled) on every run.
        return [*found, Constant(PaymentOrder.State.CANCELLED.value)]

    return SectionQuery(
        PaymentOrder,
        "payments.min_side.orders:" + ",".join(kind for kind, _key in owners),
        lambda using: orders_for_payer_parties(user, parties).using(using),
        params,
    )


@needs_answer("payments.claims", order=30)
def open_claims(
    request: HttpRequest, person: Any, parties: Sequence[ActingParty]
) -> list[NeedsAnswer]:
    """Claims (orders with a due date) not paid yet."""
    found = []
    for order in _orders(request):
        if order.due_date is None or not order.is_payable:
            continue
        party = next((p for p in parties if (p.kind, p.orgnr) == _party_key(order)), None)
        if party is not None:
            url = reverse("payments:order", args=[order.pk])
            found.append(NeedsAnswer(party, _("Betal kravet"), order.title, url, order.due_date))
    return found


#: What ``payments/_min_side.html`` writes for no orders: its last newline (issue 13: no
#: include for the section most people do not have).
NO_ORDERS = mark_safe("\n")


@my_page_section("payments/_min_side.html", order=ORDER_PAYMENTS)
def payments_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    groups = grouped(shown_parties(request), _orders(request), _party_key)
    return {"groups": groups} if groups else {"groups": groups, "html": NO_ORDERS}
