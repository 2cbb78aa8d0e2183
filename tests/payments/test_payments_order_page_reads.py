"""The order page's reads (issue 13): the order, its lines and (only when something was
refunded) its refunds, each with SQL compiled once per connection (core.rows) and read with
the payer's filter; the statements per page pinned."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iktipet.accounts.parties import ActingParty
from iktipet.accounts.testing import sign_in_citizen
from iktipet.payments import services
from iktipet.payments.providers.base import OrderLine
from support.payments import OLA, make_order

pytestmark = pytest.mark.django_db

#: The session with its user (one statement: core.sessions), the order with its agency, its
#: lines.
ORDER_PAGE_STATEMENTS = 3


def test_the_order_page_reads_three_statements_compiled_once(client, pay_settings, agency, caplog):
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
