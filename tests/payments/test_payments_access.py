"""Who may see and pay an order: another person's order is 404; tampered POST fields change
nothing; Min side lists the party's payments and claims."""

from __future__ import annotations

import datetime as dt

import pytest

from iktipet.accounts.parties import ActingParty
from iktipet.accounts.testing import sign_in_citizen
from iktipet.messaging.models import Notification
from iktipet.payments.models import PaymentAttempt, PaymentOrder
from iktipet.payments.models import TestbankPayment as BankPayment
from support.payments import KARI, OLA, make_order

pytestmark = pytest.mark.django_db


def test_another_persons_order_is_404_everywhere(client, pay_settings, agency, kari, payable):
    order = make_order(agency, kari)
    sign_in_citizen(client, OLA, name=("Ola", "Nordmann-Test"))
    assert client.get(f"/betaling/{order.pk}/").status_code == 404
    assert client.post(f"/betaling/{order.pk}/betal/", {"provider": "testbank"}).status_code == 404
    assert client.get(f"/betaling/{order.pk}/tilbake/").status_code == 404
    assert client.get("/betaling/not-a-uuid/").status_code == 404
    assert not PaymentAttempt.objects.exists()


def test_an_organisations_order_only_for_whom_acts_for_it(client, pay_settings, agency, kari):
    from iktipet.payments import services
    from iktipet.payments.providers.base import OrderLine

    firm = ActingParty("organisation", "310000019", "Testgrillen Restaurant AS")  # Kari leads it
    order = services.create_order(
        payable=("test", "org"),
        agency=agency,
        title="Gebyr",
        lines=[OrderLine("Gebyr", 1, 10_000)],
        user=kari.user,
        party=firm,
    )
    sign_in_citizen(client, OLA, name=("Ola", "Nordmann-Test"), acting_for=firm)  # no role
    assert client.get(f"/betaling/{order.pk}/").status_code == 404
    assert client.post(f"/betaling/{order.pk}/betal/", {"provider": "testbank"}).status_code == 404
    # Kari, acting for herself: Min side lists the firm's claim; its link switches party
    # (she leads Testgrillen in Enhetsregisteret).
    sign_in_citizen(client)
    assert f"/betaling/{order.pk}/" in client.get("/min-side/").content.decode()
    assert client.get(f"/betaling/{order.pk}/").status_code == 200
    assert client.session["accounts.party"]["id"] == "310000019"


def test_anonymous_is_sent_to_login(client, pay_settings, agency, kari):
    order = make_order(agency, kari)
    response = client.get(f"/betaling/{order.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/logg-inn/")


def test_tampered_amounts_and_ids_in_the_post_change_nothing(
    client, pay_settings, agency, kari, payable
):
    person = sign_in_citizen(client)
    other = make_order(agency, person, "other")
    order = make_order(agency, person)
    response = client.post(
        f"/betaling/{order.pk}/betal/",
        {
            "provider": "testbank",
            "amount": "1",
            "amount_ore": "1",
            "order": str(other.pk),
            "order_id": str(other.pk),
        },
    )
    assert response.status_code == 302
    bank_row = BankPayment.objects.get()
    assert bank_row.amount_ore == 52_000
    assert bank_row.reference.startswith(order.reference)
    assert PaymentOrder.objects.get(pk=other.pk).state == "open"
    unknown = client.post(f"/betaling/{other.pk}/betal/", {"provider": "paypal"})
    assert unknown.status_code == 400
    assert "Velg en betalingsmåte" in unknown.content.decode()


def test_a_paid_order_cannot_be_paid_again(client, pay_settings, agency, payable, webhook_client):
    from support.payments import paid

    person = sign_in_citizen(client)
    order = paid(make_order(agency, person), person)
    response = client.post(f"/betaling/{order.pk}/betal/", {"provider": "testbank"})
    assert response.status_code == 400
    assert "allerede betalt" in response.content.decode()
    assert BankPayment.objects.count() == 1


def test_min_side_lists_claims_and_receipts(client, pay_settings, agency, payable):
    person = sign_in_citizen(client)
    claim = make_order(agency, person, "claim", due_date=dt.date(2027, 1, 15), reason="Årsgebyr")
    notice = Notification.objects.get(event="payment.claim")
    assert notice.link_path == f"/betaling/{claim.pk}/"
    assert notice.context["amount_ore"] == "52000"  # written out in the notice's language
    html = client.get("/min-side/").content.decode()
    assert "Betalinger og krav" in html
    assert f"/betaling/{claim.pk}/" in html
    page = client.get(f"/betaling/{claim.pk}/").content.decode()
    assert "Årsgebyr" in page and "Betal 520,00" in page


def test_english_order_page(client, pay_settings, agency, payable):
    person = sign_in_citizen(client)
    order = make_order(agency, person)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/betaling/{order.pk}/").content.decode()
    assert "Choose a payment method" in html and "Pay NOK" in html
    assert "Back to My page" in html and "What you are paying for" in html


def test_order_rejects_a_zero_total(pay_settings, agency, kari):
    from iktipet.payments.providers.base import OrderLine

    with pytest.raises(ValueError):
        make_order(agency, kari, lines=[OrderLine("Gratis", 1, 0)])
    assert not PaymentOrder.objects.exists()
    assert KARI


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("event", ["payment.claim", "payment.refunded"])
def test_the_payment_notices_render_in_both_languages(event, language):
    from iktipet.messaging.events import render_notice

    notice = render_notice(
        event,
        language=language,
        context={
            "reference": "B-ABCDEFGH",
            "service_title": "Skjenkebevilling",
            "agency_name": "Næringsetaten",
            "deadline": "2027-01-15",
            "amount": "11 848,00 kr",
        },
        url="https://iktipet.test/betaling/x/",
    )
    assert "B-ABCDEFGH" in notice.body and "11 848,00 kr" in notice.body
    assert ("Hello," in notice.body) == (language == "en")
    if event == "payment.claim":
        assert ("15" in notice.body) and ("2027" in notice.body)


@pytest.mark.django_db(transaction=True)
def test_concurrent_create_order_for_one_payable_makes_one_order(pay_settings, agencies):
    import threading

    from django.db import connection

    from iktipet.accounts.services import find_or_create_person

    person = find_or_create_person(KARI)
    made, errors = [], []
    barrier = threading.Barrier(4)

    def one() -> None:
        try:
            barrier.wait()
            made.append(make_order(agencies["naeringsetaten"], person, "same").pk)
        except Exception as exc:  # SQLite's single writer may say "locked"
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert PaymentOrder.objects.filter(payable_id="same").count() == 1
    assert len(set(made)) == 1
    if connection.vendor == "postgresql":
        assert errors == [] and len(made) == 4
