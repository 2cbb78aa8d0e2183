"""Resources for the booking tests, made as staff would make them."""

from __future__ import annotations

from datetime import time

from iktipet.booking.models import OpeningRule, Resource


def make_resource(
    agency,
    slug="skranke",
    *,
    capacity=1,
    slot_minutes=60,
    hours=((9, 12),),
    weekdays=range(7),
    **options,
):
    defaults = {
        "name_nb": "Skranke",
        "name_en": "Desk",
        "location": "Testgata 1",
        "capacity": capacity,
        "slot_minutes": slot_minutes,
        "min_notice_minutes": 0,
        "horizon_days": 3650,
        "quota_per_person": 5,
        "closed_on_sundays": False,
    }
    resource = Resource.objects.create(agency=agency, slug=slug, **{**defaults, **options})
    for weekday in weekdays:
        for opens, closes in hours:
            OpeningRule.objects.create(
                resource=resource, weekday=weekday, opens=time(opens), closes=time(closes % 24)
            )
    return resource


def make_gym(agencies, *, slot_minutes=60, price_ore=15500):
    """The school gym rented by the hour on weekday evenings (18-21), approved by staff."""
    return make_resource(
        agencies["utdanningsetaten"],
        slug="gymsal",
        slot_minutes=slot_minutes,
        hours=((18, 21),),
        weekdays=range(5),
        price_rule=Resource.PriceRule.PER_HOUR,
        price_ore=price_ore,
        needs_approval=True,
        horizon_days=365,
        cancel_deadline_hours=24,
    )


def request_season(agencies, *, slot_minutes=60, ends=time(19)):
    """Every Tuesday in March 2027 from 18:00 at the gym, requested by Kari for Testgrillen
    Restaurant AS (which pays): (Kari, the request)."""
    from datetime import date

    from iktipet.accounts.parties import ORGANISATION, ActingParty
    from iktipet.booking.services.rental import request_rental
    from support.messaging import make_user

    person = make_user("kari", email="kari@example.no")
    request = request_rental(
        make_gym(agencies, slot_minutes=slot_minutes),
        user=person,
        party=ActingParty(ORGANISATION, "310000019", "Testgrillen Restaurant AS"),
        weekday=1,
        starts=time(18),
        ends=ends,
        first=date(2027, 3, 1),
        last=date(2027, 3, 31),
    )
    return person, request


def contend(resource, users, starts_at, now):
    """Every user holds ``starts_at`` at the same moment, each in its own thread (and
    database connection): ``(held, full, other errors)``."""
    import threading

    from django.db import connection

    from iktipet.booking.services import hold_slot
    from iktipet.booking.services.capacity import SlotFull

    barrier = threading.Barrier(len(users))
    held, full, errors = [], [], []
    lock = threading.Lock()

    def take(user):
        try:
            barrier.wait()
            reservation = hold_slot(resource, user=user, starts_at=starts_at, now=now)
            with lock:
                held.append(reservation.pk)
        except SlotFull:
            with lock:
                full.append(user.pk)
        except Exception as exc:
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return held, full, errors


CONTENTION_SCRIPT = """
import json, os, sys
from datetime import datetime, timedelta, UTC
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iktipet.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from iktipet.core.demo_data import load_municipality
from iktipet.core.models import Agency
from iktipet.accounts.models import User
from iktipet.booking.models import Slot
from support.booking import make_resource, contend
load_municipality()
takers, capacity = int(sys.argv[1]), int(sys.argv[2])
resource = make_resource(Agency.objects.get(slug="bymiljoetaten"), capacity=capacity)
users = [User.objects.create(username=f"taker-{i}") for i in range(takers)]
now = datetime(2027, 2, 8, 6, 0, tzinfo=UTC)
starts_at = datetime(2027, 2, 8, 9, 0, tzinfo=UTC)
held, full, errors = contend(resource, users, starts_at, now)
slot = Slot.objects.get(resource=resource, starts_at=starts_at)
print(json.dumps({"held": len(held), "full": len(full), "errors": errors, "taken": slot.taken}))
"""
