"""Before choosing a time the person sees what the booking costs, when it is paid, whether
it must be approved and until when it can be cancelled — from the resource's own settings,
in bokmål and in English. Rescheduling an existing booking does not repeat them."""

from __future__ import annotations

import pytest
from django.conf import settings

from iktipet.accounts.testing import sign_in_citizen
from iktipet.booking.models import Resource
from support.booking import make_resource
from support.pages import text_of

pytestmark = pytest.mark.django_db


def _page(client, resource, language="nb"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(f"/timebestilling/{resource.slug}/")
    assert response.status_code == 200
    return text_of(response)


def test_a_paid_seat_says_its_price_and_that_it_is_paid_when_booking(client, agencies):
    exam = make_resource(
        agencies["naeringsetaten"],
        slug="proven",
        price_rule=Resource.PriceRule.PER_BOOKING,
        price_ore=40000,
        cancel_deadline_hours=48,
    )
    sign_in_citizen(client)
    text = _page(client, exam)
    assert "Pris 400,00 kr per bestilling. Du betaler når du bestiller." in text
    assert "Avbestilling Fram til 2 dager før." in text
    assert "Godkjenning" not in text
    english = _page(client, exam, "en")
    assert "Price NOK 400.00 per booking. You pay when you book." in english
    assert "Cancellation Up to 2 days before." in english


def test_premises_say_the_hourly_price_is_paid_after_approval(client, agencies):
    gym = make_resource(
        agencies["utdanningsetaten"],
        slug="gymsal",
        price_rule=Resource.PriceRule.PER_HOUR,
        price_ore=15500,
        needs_approval=True,
        cancel_deadline_hours=240,
    )
    sign_in_citizen(client)
    text = _page(client, gym)
    assert "Pris 155,00 kr per time. Du betaler når bestillingen er godkjent." in text
    assert "Godkjenning Bestillingen må godkjennes før den gjelder." in text
    assert "Avbestilling Fram til 10 dager før." in text


def test_a_free_desk_says_so_with_its_deadline_in_hours(client, agencies):
    desk = make_resource(agencies["bymiljoetaten"], slug="torget", cancel_deadline_hours=1)
    sign_in_citizen(client)
    text = _page(client, desk)
    assert "Pris Gratis" in text and "Avbestilling Fram til 1 time før." in text
    assert "Up to 1 hour before." in _page(client, desk, "en")
