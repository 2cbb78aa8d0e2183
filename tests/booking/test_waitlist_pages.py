"""The waitlist through the pages: the full times are listed to wait for, the place in line
is shown, a refusal keeps the choice, and only the person can leave their own place."""

from __future__ import annotations

from datetime import UTC, date, datetime
from unittest import mock

import pytest

from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.booking import timetable
from iktipet.booking.forms import slot_value
from iktipet.booking.models import WaitlistEntry
from iktipet.booking.services import confirm_reservation, hold_slot
from support.booking import make_resource
from support.messaging import make_user

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 8, 7, 30, tzinfo=UTC)
TEN = timetable.local_instant(date(2027, 2, 9), timetable.time(10))
ELEVEN = timetable.local_instant(date(2027, 2, 9), timetable.time(11))


@pytest.fixture(autouse=True)
def frozen():
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        yield


@pytest.fixture
def desk(agencies, offline_settings):
    resource = make_resource(agencies["bymiljoetaten"], slug="skranke", weekdays=range(5))
    anne = make_user("anne", email="anne@example.no")
    confirm_reservation(hold_slot(resource, user=anne, starts_at=TEN), user=anne)
    return resource


def test_join_from_the_list_of_full_times_and_leave(client, desk):
    sign_in_citizen(client)
    assert (
        "/timebestilling/skranke/venteliste/"
        in client.get("/timebestilling/skranke/").content.decode()
    )
    page = client.get("/timebestilling/skranke/venteliste/").content.decode()
    assert page.count('type="radio"') == 1 and slot_value(TEN) in page
    joined = client.post("/timebestilling/skranke/venteliste/", {"slot": slot_value(TEN)})
    assert joined.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert entry.status == "waiting"
    listing = client.get(joined["Location"]).content.decode()
    assert "nummer 1" in listing and "Gå ut av ventelisten" in listing
    # A free time is refused with the reason, the choice kept.
    refused = client.post("/timebestilling/skranke/venteliste/", {"slot": slot_value(ELEVEN)})
    assert refused.status_code == 400 and "Bestill det i stedet" in refused.content.decode()
    assert WaitlistEntry.objects.count() == 1

    sign_in_citizen(client, "29822099635")  # someone else cannot remove Kari's place
    assert client.post(f"/timebestilling/venteliste/{entry.pk}/forlat/").status_code == 404
    sign_in_staff(client, [("bymiljoetaten", "case_worker")])
    response = client.post(f"/timebestilling/venteliste/{entry.pk}/forlat/")
    assert response.status_code == 302 and "logg-inn" in response["Location"]
    entry.refresh_from_db()
    assert entry.status == "waiting"
    sign_in_citizen(client)
    assert client.post(f"/timebestilling/venteliste/{entry.pk}/forlat/").status_code == 302
    entry.refresh_from_db()
    assert entry.status == "left"


def test_nothing_chosen_is_a_clear_error(client, desk):
    sign_in_citizen(client)
    response = client.post("/timebestilling/skranke/venteliste/", {"slot": "tull"})
    assert response.status_code == 400 and "Velg et tidspunkt" in response.content.decode()
