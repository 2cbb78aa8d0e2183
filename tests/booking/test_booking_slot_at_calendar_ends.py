"""A posted slot at the calendar's ends is no slot: a clear refusal, not a 500.

``datetime.fromisoformat`` reads such a moment with its zone, and only converting it to UTC
overflows; every booking form (the picker, moving a time, the booking step, the waitlist)
reads the slot through ``parse_slot``.
"""

from __future__ import annotations

import pytest

from iktipet.accounts.testing import sign_in_citizen
from iktipet.booking.forms import parse_slot
from support.booking import make_resource

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"])
def test_parse_slot_at_the_calendar_ends_is_no_slot(value):
    assert parse_slot(value) is None


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"])
def test_the_waitlist_refuses_such_a_slot_not_a_500(client, agencies, offline_settings, value):
    resource = make_resource(agencies["utdanningsetaten"], slug="skranke")
    sign_in_citizen(client)
    page = client.post(f"/timebestilling/{resource.slug}/venteliste/", {"slot": value})
    assert page.status_code == 400
