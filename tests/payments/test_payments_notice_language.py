"""The payer reads the amount of a claim or a refund in the language the notice goes out in:
"520,00 kr" in bokmål, "NOK 520.00" in English (the contact register's language)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from iktipet.accounts.services import find_or_create_person
from iktipet.messaging.models import Notification
from iktipet.messaging.tasks import send_notification
from support.payments import KARI, make_order

pytestmark = pytest.mark.django_db

FATIMA = "19859349903"  # the contact register (KRR) says she reads English


@pytest.mark.parametrize(
    ("pid", "amount", "label"),
    [(KARI, "520,00\xa0kr", "Beløp"), (FATIMA, "NOK\xa0520.00", "Amount")],
)
def test_a_claim_notice_writes_the_amount_in_the_payers_language(
    pay_settings, agency, payable, pid, amount, label
):
    person = find_or_create_person(pid)
    make_order(agency, person, "claim", due_date=dt.date(2027, 1, 15), reason="Årsgebyr")
    notice = Notification.objects.get(event="payment.claim")
    assert send_notification.call(str(notice.pk)) == "sent"
    [email] = mail.outbox
    assert f"{label}: {amount}" in email.body
