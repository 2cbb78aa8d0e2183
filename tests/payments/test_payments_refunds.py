"""Refunds: finance role, a reason, never more than was captured (also when concurrent),
the payer notified, audited; and the reconciliation report whose sums add up."""

from __future__ import annotations

import csv
import io
import threading

import pytest
from django.db import connection

from iktipet.accounts.testing import sign_in_staff
from iktipet.core.errors import ActionRefused
from iktipet.core.models import AuditEvent, DomainEvent
from iktipet.messaging.models import Notification
from iktipet.payments import selectors, services
from iktipet.payments.models import PaymentOrder, Refund
from iktipet.payments.models import TestbankPayment as BankPayment
from support.payments import OLA, make_order, paid

FINANCE = [("naeringsetaten", "finance")]


@pytest.fixture
def captured(pay_settings, agency, kari, payable):
    return paid(make_order(agency, kari), kari)


@pytest.mark.django_db
def test_a_partial_then_full_refund_by_finance(client, captured):
    staff = sign_in_staff(client, FINANCE)
    page = client.get(f"/saksbehandling/betaling/{captured.pk}/")
    assert page.status_code == 200 and "Refunder" in page.content.decode()
    response = client.post(
        f"/saksbehandling/betaling/{captured.pk}/refunder/",
        {"amount": "120,50", "reason": "Arrangementet ble kortere"},
    )
    assert response.status_code == 302
    captured.refresh_from_db()
    assert (captured.state, captured.refunded_ore) == ("captured", 12_050)
    assert BankPayment.objects.get().refunded_ore == 12_050
    assert Notification.objects.filter(event="payment.refunded").count() == 1
    assert DomainEvent.objects.filter(type="no.iktipet.payment.refunded").count() == 1
    assert AuditEvent.objects.filter(action="payments.refunded", actor=staff).count() == 1
    services.refund(captured, 52_000 - 12_050, user=staff, reason="Resten")
    captured.refresh_from_db()
    assert (captured.state, captured.refunded_ore) == ("refunded", 52_000)


@pytest.mark.django_db
def test_refused_refunds_keep_what_was_typed(client, captured):
    sign_in_staff(client, FINANCE)
    url = f"/saksbehandling/betaling/{captured.pk}/refunder/"
    too_much = client.post(url, {"amount": "600", "reason": "For mye"})
    assert too_much.status_code == 400
    assert "520,00" in too_much.content.decode() and "For mye" in too_much.content.decode()
    no_reason = client.post(url, {"amount": "10", "reason": " "})
    assert no_reason.status_code == 400 and "Skriv hvorfor" in no_reason.content.decode()
    not_amount = client.post(url, {"amount": "ti kroner", "reason": "x"})
    assert not_amount.status_code == 400
    captured.refresh_from_db()
    assert captured.refunded_ore == 0 and not Refund.objects.exists()


@pytest.mark.django_db
def test_a_case_worker_without_finance_cannot_refund(client, captured):
    worker = sign_in_staff(client, [("naeringsetaten", "case_worker")])
    assert client.get(f"/saksbehandling/betaling/{captured.pk}/").status_code == 200
    response = client.post(
        f"/saksbehandling/betaling/{captured.pk}/refunder/", {"amount": "10", "reason": "x"}
    )
    assert response.status_code == 400
    with pytest.raises(ActionRefused):
        services.refund(captured, 1000, user=worker, reason="x")
    assert client.get("/saksbehandling/betaling/avstemming/").status_code == 404


@pytest.mark.django_db
def test_staff_of_another_agency_get_404(client, captured):
    sign_in_staff(client, [("bymiljoetaten", "finance")])
    assert client.get(f"/saksbehandling/betaling/{captured.pk}/").status_code == 404
    response = client.post(
        f"/saksbehandling/betaling/{captured.pk}/refunder/", {"amount": "10", "reason": "x"}
    )
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_concurrent_refunds_never_exceed_what_was_captured(pay_settings, agencies, payable):
    from django.test import Client

    from iktipet.accounts.services import find_or_create_person
    from iktipet.accounts.testing import sign_in_staff as staff_login

    person = find_or_create_person(OLA)
    order = paid(make_order(agencies["naeringsetaten"], person, "conc"), person)
    staff = staff_login(Client(), FINANCE)
    results: list[str] = []
    barrier = threading.Barrier(4)

    def one() -> None:
        try:
            barrier.wait()
            services.refund(PaymentOrder.objects.get(pk=order.pk), 20_000, user=staff, reason="x")
            results.append("ok")
        except ActionRefused:
            results.append("refused")
        except Exception as exc:  # SQLite may answer "locked": that is a refusal too
            results.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    order.refresh_from_db()
    done = results.count("ok")
    assert order.refunded_ore == 20_000 * done <= order.captured_ore
    assert BankPayment.objects.get().refunded_ore == order.refunded_ore
    if connection.vendor == "postgresql":  # row locks: all four run, two fit in 520 kr
        assert sorted(results) == ["ok", "ok", "refused", "refused"]
    else:  # SQLite's one writer: the others wait or fail, never exceed
        assert done >= 1


@pytest.mark.django_db
def test_the_reconciliation_sums_add_up(client, pay_settings, agency, payable):
    from iktipet.accounts.services import find_or_create_person

    people = [find_or_create_person(pid) for pid in ("17819049912", OLA)]
    orders = [
        paid(make_order(agency, people[i % 2], f"r{i}", lines=None), people[i % 2])
        for i in range(3)
    ]
    staff = sign_in_staff(client, FINANCE)
    services.refund(orders[0], 10_000, user=staff, reason="Delvis")
    services.refund(orders[1], 52_000, user=staff, reason="Alt")
    unpaid = make_order(agency, people[0], "unpaid")
    report = selectors.reconciliation_for_staff(
        staff, agency, orders[0].paid_at.astimezone(selectors.OSLO).date()
    )
    assert report.captured_ore == 3 * 52_000
    assert report.refunded_ore == 62_000
    assert report.net_ore == 3 * 52_000 - 62_000
    fees = sum(BankPayment.objects.values_list("fee_ore", flat=True))
    assert report.fee_ore == fees > 0
    assert unpaid.reference not in {m.order.reference for m in report.movements}
    day = report.day.isoformat()
    page = client.get(f"/saksbehandling/betaling/avstemming/?virksomhet=naeringsetaten&dato={day}")
    assert page.status_code == 200
    assert "940,00" in page.content.decode()  # the net: 1 560 kr captured − 620 kr refunded
    download = client.get(
        f"/saksbehandling/betaling/avstemming.csv?virksomhet=naeringsetaten&dato={day}"
    )
    rows = list(csv.reader(io.StringIO(download.content.decode()), delimiter=";"))
    body = [row for row in rows[1:] if row[0] != "total"]
    assert len(body) == 5  # three captures, two refunds
    assert sum(int(row[7]) for row in body) == report.net_ore
    assert sum(int(row[8]) for row in body) == report.fee_ore
    totals = {row[1]: int(row[7]) for row in rows if row[0] == "total"}
    assert totals == {"captured": 156_000, "refunded": -62_000, "net": 94_000}
    assert {row[5] for row in body} == set(BankPayment.objects.values_list("id", flat=True))
    bad = client.get("/saksbehandling/betaling/avstemming/?dato=2026-13-45")
    assert bad.status_code == 400


@pytest.mark.django_db
def test_the_csv_does_not_hand_a_spreadsheet_a_formula(client, pay_settings, agency, kari, payable):
    from iktipet.accounts.parties import myself
    from iktipet.payments.providers.base import OrderLine

    order = services.create_order(
        payable=("test", "formula"),
        agency=agency,
        title='=HYPERLINK("https://evil.example","Gebyr")',
        lines=[OrderLine("Gebyr", 1, 10_000)],
        user=kari.user,
        party=myself(kari),
    )
    order = paid(order, kari)
    sign_in_staff(client, FINANCE)
    day = order.paid_at.astimezone(selectors.OSLO).date().isoformat()
    download = client.get(
        f"/saksbehandling/betaling/avstemming.csv?virksomhet=naeringsetaten&dato={day}"
    )
    rows = list(csv.reader(io.StringIO(download.content.decode()), delimiter=";"))
    assert rows[1][3] == "'" + order.title
