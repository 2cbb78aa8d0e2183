"""The bookable resources the platform ships with (demo and tests): the service desk at
Bymiljøetaten. Loading is idempotent: a resource that exists keeps its settings."""

from __future__ import annotations

from datetime import time

from django.db import transaction

from iktipet.booking.models import OpeningRule, Resource
from iktipet.core.models import Agency

SERVICETORGET = "servicetorget-bymiljoetaten"

TOPICS = [
    {"value": "parking", "nb": "Parkeringstillatelse", "en": "Parking permit"},
    {"value": "waste", "nb": "Avfall og renovasjon", "en": "Waste collection"},
    {"value": "excavation", "nb": "Gravetillatelse", "en": "Excavation permit"},
    {"value": "other", "nb": "Annet", "en": "Other"},
]


def load_servicetorget() -> Resource | None:
    agency = Agency.objects.filter(slug="bymiljoetaten").first()
    if agency is None:
        return None
    with transaction.atomic():
        resource, created = Resource.objects.get_or_create(
            slug=SERVICETORGET,
            defaults={
                "agency": agency,
                "name_nb": "Servicetorget, Bymiljøetaten",
                "name_en": "Service desk, Agency for Urban Environment",
                "location": "Testgata 1, 0150 Oslo",
                "capacity": 3,  # desks open
                "slot_minutes": 20,
                "buffer_minutes": 0,
                "horizon_days": 30,
                "min_notice_minutes": 120,
                "quota_per_person": 2,
                "cancel_deadline_hours": 24,
                "hold_minutes": 10,
                "topics": TOPICS,
            },
        )
        if created:
            for weekday in range(5):
                OpeningRule.objects.create(
                    resource=resource, weekday=weekday, opens=time(9), closes=time(15)
                )
            # Thursdays open late with two desks.
            OpeningRule.objects.create(
                resource=resource, weekday=3, opens=time(15), closes=time(18), capacity=2
            )
    return resource
