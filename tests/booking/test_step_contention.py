"""The last seat taken at once through the booking step (the form engine's step plugin):
exactly one person's step holds it, every other one is refused with the nearest free times
offered — on PostgreSQL, threads on the test database (the step takes its place with the
same conditional UPDATE as the stand-alone flow, whose SQLite run is in
test_booking_contention.py)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection

from iktipet.accounts.models import User
from iktipet.booking.forms import slot_value
from iktipet.booking.models import Reservation, Slot
from iktipet.catalog import plugins
from support.booking import make_resource

NOW = datetime(2027, 2, 8, 6, 0, tzinfo=UTC)
NINE = datetime(2027, 2, 8, 9, 0, tzinfo=UTC)  # 10:00 in Oslo
PEOPLE = 12


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own run")
@pytest.mark.django_db(transaction=True)
def test_the_last_seat_through_the_step_goes_to_exactly_one(agencies):
    resource = make_resource(agencies["bymiljoetaten"], capacity=1)
    users = [User.objects.create(username=f"step-taker-{i}") for i in range(PEOPLE)]
    step = SimpleNamespace(
        id="appointment", booking=SimpleNamespace(resource=resource.slug, hold_minutes=10)
    )
    plugin = plugins.plugin_for("booking")
    assert plugin is not None
    barrier = threading.Barrier(PEOPLE)
    results, errors = [], []
    lock = threading.Lock()

    def take(user):
        try:
            barrier.wait()
            saved = plugin.save(step, None, user=user, data={"slot": slot_value(NINE)}, answers={})
            with lock:
                results.append(saved)
        except Exception as exc:  # any error fails the test below
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        threads = [threading.Thread(target=take, args=(user,)) for user in users]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    won = [saved for saved in results if not saved.errors]
    lost = [saved for saved in results if saved.errors]
    assert len(won) == 1 and len(lost) == PEOPLE - 1
    assert {saved.status for saved in lost} == {409}
    assert all(saved.context["booking_nearest"] for saved in lost)
    assert all(saved.answer is None for saved in lost)
    held = Reservation.objects.get(status=Reservation.Status.HELD)
    assert won[0].answer == {"reservation": str(held.pk)}
    assert Slot.objects.get(resource=resource, starts_at=NINE).taken == 1
