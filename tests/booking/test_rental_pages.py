"""Renting premises every week through the pages: the dates are checked and shown before
anything is sent, what was typed is kept on an error, the request is sent for the
organisation the person acts for, another person's request is 404, staff approve it."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest import mock

import pytest

from iktipet.accounts.parties import ORGANISATION, ActingParty
from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.booking.models import RentalRequest, Reservation, Resource, Slot
from iktipet.payments.models import PaymentOrder
from support.booking import make_resource

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 8, 7, 30, tzinfo=UTC)
LEADER = "19859349903"  # LEDE in Syntetisk Idrettslag Oslo (FLI, 93.120)
IDRETTSLAG = ActingParty(ORGANISATION, "310000043", "Syntetisk Idrettslag Oslo")
FORM = {
    "weekday": "1",
    "starts": "18:00",
    "ends": "20:00",
    "first_date": "2027-03-01",
    "last_date": "2027-03-31",
    "note": "Innebandy for 10-12 år",
}


@pytest.fixture(autouse=True)
def frozen():
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        yield


@pytest.fixture
def gym(agencies, offline_settings):
    return make_resource(
        agencies["utdanningsetaten"],
        slug="gymsal",
        hours=((18, 21),),
        weekdays=range(5),
        price_rule=Resource.PriceRule.PER_HOUR,
        price_ore=15500,
        needs_approval=True,
        horizon_days=365,
        free_for={"org_forms": ["FLI"], "industry_codes": ["93.1", "94.9"]},
    )


def test_check_then_send_for_the_organisation_and_staff_approve(client, gym):
    sign_in_citizen(client, LEADER, acting_for=IDRETTSLAG)
    assert (
        f"/timebestilling/{gym.slug}/leie/"
        in client.get(f"/timebestilling/{gym.slug}/").content.decode()
    )
    page = client.get(f"/timebestilling/{gym.slug}/leie/")
    assert page.status_code == 200 and "Syntetisk Idrettslag Oslo" in page.content.decode()
    checked = client.post(f"/timebestilling/{gym.slug}/leie/", {**FORM, "action": "check"})
    html = checked.content.decode()
    assert checked.status_code == 200 and not RentalRequest.objects.exists()
    # Tuesdays in March 2027: 2, 9, 16, 23, 30 — all free; free rent by the register.
    assert html.count("<tr><td>") == 5 and "Ledig" in html and "Gratis leie" in html
    assert "Innebandy for 10-12 år" in html  # what was typed stays
    sent = client.post(f"/timebestilling/{gym.slug}/leie/", {**FORM, "action": "send"})
    request = RentalRequest.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/timebestilling/leie/{request.pk}/"
    assert (request.party_id, request.total_ore) == ("310000043", 0)
    mine = client.get(sent["Location"]).content.decode()
    assert "Venter på godkjenning" in mine and "93.120" in mine
    # Min side shows the request once, not its five dates one by one.
    my_page = client.get("/min-side/").content.decode()
    assert my_page.count(f"/timebestilling/leie/{request.pk}/") == 1
    assert "/timebestilling/bestilling/" not in my_page

    sign_in_citizen(client, "17819049912")  # someone else
    assert client.get(sent["Location"]).status_code == 404

    sign_in_staff(client, [("utdanningsetaten", "case_worker")])
    agenda = client.get(f"/timebestilling/saksbehandling/{gym.slug}/").content.decode()
    assert f"/timebestilling/saksbehandling/{gym.slug}/leie/" in agenda
    listing = client.get(f"/timebestilling/saksbehandling/{gym.slug}/leie/")
    assert listing.status_code == 200 and "Syntetisk Idrettslag Oslo" in listing.content.decode()
    done = client.post(f"/timebestilling/saksbehandling/leie/{request.pk}/godkjenn/")
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == "approved" and not PaymentOrder.objects.exists()
    assert set(Reservation.objects.values_list("status", flat=True)) == {"confirmed"}


def test_bad_input_is_refused_on_its_field_and_kept(client, gym):
    sign_in_citizen(client)
    bad = {**FORM, "ends": "17:00", "first_date": "1. mars"}
    page = client.post(f"/timebestilling/{gym.slug}/leie/", {**bad, "action": "check"})
    html = page.content.decode()
    assert page.status_code == 400 and 'id="first_date-error"' in html
    assert 'value="1. mars"' in html and "Innebandy" in html
    page = client.post(f"/timebestilling/{gym.slug}/leie/", {**FORM, "ends": "17:00"})
    assert page.status_code == 400 and 'id="ends-error"' in page.content.decode()
    assert not RentalRequest.objects.exists()


def test_staff_of_another_agency_cannot_decide(client, gym):
    sign_in_citizen(client)
    client.post(f"/timebestilling/{gym.slug}/leie/", {**FORM, "action": "send"})
    request = RentalRequest.objects.get()
    sign_in_staff(client, [("naeringsetaten", "case_worker")])
    assert (
        client.post(f"/timebestilling/saksbehandling/leie/{request.pk}/godkjenn/").status_code
        == 404
    )
    assert client.get(f"/timebestilling/saksbehandling/{gym.slug}/leie/").status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"


RENTAL_ROUTES = {
    "booking:rental": ("GET", "/timebestilling/leie/{id}/", 200),
    "booking:rental_withdraw": ("POST", "/timebestilling/leie/{id}/trekk/", None),
    "booking:staff_rentals": ("GET", "/timebestilling/saksbehandling/{slug}/leie/", None),
    "booking:staff_rental_action": (
        "POST",
        "/timebestilling/saksbehandling/leie/{id}/avslaa/",
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(RENTAL_ROUTES))
@pytest.mark.parametrize("actor", ["anonymous", "owner", "other_citizen", "other_agency_staff"])
def test_the_wrong_actor_gets_404_or_a_login(client, gym, name, actor):
    sign_in_citizen(client)
    client.post(f"/timebestilling/{gym.slug}/leie/", {**FORM, "action": "send"})
    request = RentalRequest.objects.get()
    method, template, owner_gets = RENTAL_ROUTES[name]
    path = template.format(id=request.pk, slug=gym.slug)
    client.logout()
    if actor == "owner":
        sign_in_citizen(client)
    elif actor == "other_citizen":
        sign_in_citizen(client, "29822099635")
    elif actor == "other_agency_staff":
        sign_in_staff(client, [("naeringsetaten", "case_worker")], username="other")
    response = client.post(path) if method == "POST" else client.get(path)
    staff_route = name.startswith("booking:staff")
    if (
        actor == "anonymous"
        or (staff_route and actor in ("owner", "other_citizen"))
        or (not staff_route and actor == "other_agency_staff")
    ):
        assert response.status_code == 302 and "logg-inn" in response["Location"], response
    elif actor == "owner":
        assert response.status_code == (owner_gets or 302)
    else:
        assert response.status_code == 404
    request.refresh_from_db()
    # Only the owner's own withdrawal changes it.
    withdrawn = actor == "owner" and name == "booking:rental_withdraw"
    assert request.status == ("cancelled" if withdrawn else "pending")
    if withdrawn:
        assert set(Reservation.objects.values_list("status", flat=True)) == {"cancelled"}
        assert not Slot.objects.filter(taken__gt=0).exists()
