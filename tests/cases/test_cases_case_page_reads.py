"""The case pages' own reads (``cases.selectors``, issue 13): each reads in one statement
what the general selectors read in several, and must find the same rows."""

from __future__ import annotations

import pytest

from iktipet.cases import selectors
from iktipet.cases.models import Case, Claim
from iktipet.payments.models import PaymentOrder
from support.cases import submitted_case

pytestmark = pytest.mark.django_db


def _order(case: Case, kind: str, payable_id: object, state: str = "open") -> PaymentOrder:
    return PaymentOrder.objects.create(
        agency_id=case.agency_id,
        payable_kind=kind,
        payable_id=str(payable_id),
        title=f"{kind} {payable_id}",
        amount_ore=50_000,
        state=state,
    )


def _shown(payments: list[selectors.CasePayment]) -> list[tuple[object, ...]]:
    return [
        (
            item.order.pk,
            item.claim.pk if item.claim else None,
            item.claim.kind if item.claim else None,
            item.claim.reason if item.claim else None,
            item.claim.created_at if item.claim else None,
        )
        for item in payments
    ]


def test_the_payments_of_the_case_page_are_payments_of_in_one_statement(
    agencies, django_assert_num_queries
):
    case = submitted_case()
    other = submitted_case(publish_service=False)
    _order(case, "application", case.application_id, state="cancelled")
    fee = _order(case, "application", case.application_id, state="captured")
    first = Claim.objects.create(case=case, kind="manual", reason="Befaring")
    _order(case, "case", first.pk, state="cancelled")
    _order(case, "case", first.pk)  # the claim's newest order is the one shown
    Claim.objects.create(case=case, kind="manual", reason="Uten ordre")  # not shown
    decision_fee = Claim.objects.create(case=case, kind="decision")
    _order(case, "case", decision_fee.pk)
    elsewhere = Claim.objects.create(case=other, kind="manual", reason="En annen sak")
    _order(other, "case", elsewhere.pk)
    _order(other, "application", other.application_id)

    expected = _shown(selectors.payments_of(case))
    assert [row[1] for row in expected] == [None, first.pk, decision_fee.pk]
    assert expected[0][0] == fee.pk
    case = Case.objects.get(pk=case.pk)
    with django_assert_num_queries(1):
        found = selectors.payments_for_case_page(case)
    assert _shown(found) == expected
    assert _shown(selectors.payments_for_case_page(Case.objects.get(pk=other.pk))) == _shown(
        selectors.payments_of(other)
    )


def test_a_case_without_payments_shows_none(agencies, django_assert_num_queries):
    case = Case.objects.get(pk=submitted_case().pk)
    Claim.objects.create(case=case, kind="manual", reason="Ennå uten ordre")
    with django_assert_num_queries(1):
        assert selectors.payments_for_case_page(case) == []
    _order(case, "application", case.application_id, state="cancelled")
    assert selectors.payments_for_case_page(case) == selectors.payments_of(case) == []
