"""A kindergarten offer on Min side: shown with its deadline, accepted, declined, expired."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.cases import deadlines, services
from iktipet.cases.models import Offer
from support.cases import OLA, case_url, submitted_case
from support.pages import text_of


@pytest.fixture
def staff(agencies):
    """Overrides tests/cases/conftest.py's: kindergartens are Utdanningsetaten's."""
    from django.test import Client

    return sign_in_staff(Client(), [("utdanningsetaten", "case_worker")])


@pytest.fixture
def case(agencies):
    """Overrides tests/cases/conftest.py's: an application for a kindergarten place."""
    return submitted_case("barnehagesak", workflow="barnehage", title="Søknad om barnehageplass")


@pytest.fixture
def offer(case, staff) -> Offer:
    return services.make_offer(
        case,
        user=staff,
        kindergarten_id="bhg-001",
        start_date=timezone.localdate() + dt.timedelta(days=40),
    )


def answer_url(offer: Offer) -> str:
    return reverse("cases:answer_offer", args=[offer.case_id, offer.pk])


def oslo_date(moment: dt.datetime) -> str:
    return deadlines.local_date(moment).strftime("%d.%m.%Y")


def test_the_offer_is_shown_with_its_deadline_and_two_buttons(kari, case, offer):
    response = kari.get(case_url(case))
    assert response.status_code == 200
    body = text_of(response)
    assert "Tilbud om barnehageplass" in body
    assert "Barnehagen Testlia" in body
    assert f"Svar innen {oslo_date(offer.answer_by)}" in body
    html = response.content.decode()
    assert f'action="{answer_url(offer)}"' in html
    assert 'name="accept" value="yes"' in html and "Takk ja" in body
    assert 'name="accept" value="no"' in html and "Takk nei" in body
    # The offer is what waits, not a request for information.
    assert "Saksbehandleren ber om mer informasjon" not in body
    # And Min side says an answer is due.
    min_side = text_of(kari.get(reverse("accounts:my_page")))
    waiting = "Trenger svar fra deg Svar på tilbudet om plass i Barnehagen Testlia"
    assert waiting in min_side
    assert f"Svar innen {oslo_date(offer.answer_by)}" in min_side


def test_accepting_the_offer(kari, case, offer):
    response = kari.post(answer_url(offer), {"accept": "yes"})
    assert response.status_code == 302
    offer.refresh_from_db()
    case.refresh_from_db()
    assert (offer.status, case.status) == ("accepted", "accepted")
    body = text_of(kari.get(case_url(case)))
    assert f"Du takket ja {oslo_date(offer.answered_at)}." in body
    assert "Tilbud takket ja til" in body  # the status label from the workflow
    assert 'name="accept"' not in kari.get(case_url(case)).content.decode()
    # Answering twice is refused.
    again = kari.post(answer_url(offer), {"accept": "no"})
    assert again.status_code == 400
    assert "Tilbudet er allerede besvart eller utløpt." in text_of(again)
    offer.refresh_from_db()
    assert offer.status == "accepted"


def test_declining_the_offer(kari, case, offer):
    assert kari.post(answer_url(offer), {"accept": "no"}).status_code == 302
    offer.refresh_from_db()
    case.refresh_from_db()
    assert (offer.status, case.status) == ("declined", "declined")
    assert "Du takket nei" in text_of(kari.get(case_url(case)))


def test_an_answer_must_be_yes_or_no(kari, case, offer):
    response = kari.post(answer_url(offer), {"accept": "kanskje"})
    assert response.status_code == 400
    assert "Velg «Takk ja» eller «Takk nei»." in text_of(response)
    offer.refresh_from_db()
    assert offer.status == "offered"


def test_an_answer_after_the_deadline_is_refused(kari, case, offer):
    Offer.objects.filter(pk=offer.pk).update(answer_by=timezone.now() - dt.timedelta(minutes=1))
    response = kari.post(answer_url(offer), {"accept": "yes"})
    assert response.status_code == 400
    assert "Svarfristen for tilbudet har gått ut." in text_of(response)
    offer.refresh_from_db()
    case.refresh_from_db()
    assert (offer.status, case.status) == ("offered", "offered")


def test_an_unanswered_offer_expires_and_the_page_says_so(kari, case, offer):
    assert services.expire_offers(offer.answer_by + dt.timedelta(seconds=1)) == 1
    response = kari.get(case_url(case))
    body = text_of(response)
    assert f"Tilbudet gikk ut {oslo_date(offer.answer_by)} uten svar." in body
    assert 'name="accept"' not in response.content.decode()
    assert kari.post(answer_url(offer), {"accept": "yes"}).status_code == 400


def test_another_citizen_cannot_answer(client, case, offer):
    sign_in_citizen(client, OLA, name=("Ola", "Nordmann-Test"))
    assert client.post(answer_url(offer), {"accept": "yes"}).status_code == 404
    offer.refresh_from_db()
    assert offer.status == "offered"


def test_an_offer_of_another_case_is_not_found(kari, case, offer, agencies):
    other = submitted_case("barnehagesak", workflow="barnehage", publish_service=False)
    url = reverse("cases:answer_offer", args=[other.pk, offer.pk])
    assert kari.post(url, {"accept": "yes"}).status_code == 404
    offer.refresh_from_db()
    assert offer.status == "offered"
