"""The payments section of Min side: payments and claims, with their state and a link to pay
or to the receipt."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from iktipet.accounts.my_page import my_page_section
from iktipet.accounts.parties import current_party
from iktipet.payments.selectors import orders_for_payer

LIMIT = 50


@my_page_section("payments/_min_side.html", order=30)
def payments_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    orders = list(orders_for_payer(request.user, current_party(request))[:LIMIT])
    return {
        "to_pay": [order for order in orders if order.is_payable],
        "paid": [order for order in orders if not order.is_payable],
    }
