"""Min side's payments section with no orders: no include, the template's output as it is
(``payments.my_page.NO_ORDERS``; issue 13)."""

from __future__ import annotations

from django.template.loader import get_template

from iktipet.payments.my_page import NO_ORDERS


def test_no_orders_is_the_templates_html():
    old = get_template("payments/_min_side.html").render({"section": {"groups": []}})
    assert old == NO_ORDERS
