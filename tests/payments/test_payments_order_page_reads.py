"""The order page's reads (issue 13): the order with its lines in one statement and (only
when something was refunded) its refunds, each with SQL compiled once per connection
(core.rows) and read with the payer's filter; the statements per page pinned."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from iktipet.accounts.parties import ActingParty
from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.payments import services
from iktipet.payments.providers.base import OrderLine
from support.payments import OLA, make_order, paid

pytestmark = pytest.mark.django_db

#: The session with its user (one statement: core.sessions), the order with its agency's name
#: and its lines (one: selectors.order_page_for_payer).
ORDER_PAGE_STATEMENTS = 2


def test_the_order_page_reads_two_statements_compiled_once(client, pay_settings, agency, caplog):
    person = sign_in_citizen(client)
    make_order(agency, person)
    order = make_order(
        agency,
        person,
        "two-lines",
        lines=[OrderLine("Gebyr", 1, 10_000), OrderLine("Tillegg", 2, 500, vat_percent=25)],
    )
    client.get(f"/betaling/{order.pk}/")  # compiles the reads on this connection
    with (
        caplog.at_level(logging.WARNING, logger="iktipet.core.rows"),
        CaptureQueriesContext(connection) as queries,
    ):
        page = client.get(f"/betaling/{order.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'name="provider"' in html
    assert html.index(">Gebyr<") < html.index(">Tillegg (25 % mva)<")
    assert len(queries) == ORDER_PAGE_STATEMENTS, [q["sql"][:120] for q in queries]
    assert not caplog.records  # no read fell back to the ORM (parameters as compiled)


def test_an_organisations_order_is_read_with_its_own_filter(client, pay_settings, agency, kari):
    firm = ActingParty("organisation", "310000019", "Testgrillen Restaurant AS")
    order = services.create_order(
        payable=("test", "org"),
        agency=agency,
        title="Gebyr",
        lines=[OrderLine("Gebyr", 1, 10_000)],
        user=kari.user,
        party=firm,
    )
    sign_in_citizen(client, acting_for=firm)
    assert client.get(f"/betaling/{order.pk}/").status_code == 200
    # The same compiled query with another organisation's number finds nothing of this one.
    other = ActingParty("organisation", "310000027", "Noe annet AS")
    sign_in_citizen(client, OLA, name=("Ola", "Nordmann-Test"), acting_for=other)
    assert client.get(f"/betaling/{order.pk}/").status_code == 404


def test_a_refunded_orders_page_reads_its_refunds_too(client, pay_settings, agency, payable):
    person = sign_in_citizen(client)
    order = paid(make_order(agency, person), person)
    staff = sign_in_staff(Client(), [("naeringsetaten", "finance")])
    services.refund(order, 12_050, user=staff, reason="Delvis")
    client.get(f"/betaling/{order.pk}/")  # compiles the reads on this connection
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/betaling/{order.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Betalt, delvis refundert" in html and "120,50\xa0kr refundert " in html
    assert len(queries) == ORDER_PAGE_STATEMENTS + 1, [q["sql"][:120] for q in queries]


def test_an_order_without_lines_is_still_found(client, pay_settings, agency):
    person = sign_in_citizen(client)
    order = make_order(agency, person)
    order.lines.all().delete()
    page = client.get(f"/betaling/{order.pk}/")
    assert page.status_code == 200 and "<tbody></tbody>" in page.content.decode()
