"""The bookable resources the platform ships with (demo and tests): the service desk at
Bymiljøetaten, the kunnskapsprøve sessions at Næringsetaten (400 kr, paid when booking)
and a school gym to rent by the hour (155 kr, approved by staff, then claimed; free for
child and youth organisations by their Enhetsregisteret data, also when rented weekly).
Loading is idempotent: a resource that exists keeps its settings."""

from __future__ import annotations

from datetime import time

from django.db import transaction

from iktipet.booking.models import OpeningRule, Resource
from iktipet.core.models import Agency

SERVICETORGET = "servicetorget-bymiljoetaten"
KUNNSKAPSPROVEN = "kunnskapsproven-naeringsetaten"
GYMSAL = "gymsal-testlia-skole"

FREE_FOR_YOUTH = {"org_forms": ["FLI"], "industry_codes": ["93.1", "94.9"]}

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


def load_kunnskapsproven() -> Resource | None:
    """Seats in the alcohol-law exam (for a styrer): Tuesday mornings and Thursday
    evenings, 20 seats, the fee of DOMAIN.md (400 kr) paid when booking."""
    agency = Agency.objects.filter(slug="naeringsetaten").first()
    if agency is None:
        return None
    with transaction.atomic():
        resource, created = Resource.objects.get_or_create(
            slug=KUNNSKAPSPROVEN,
            defaults={
                "agency": agency,
                "name_nb": "Kunnskapsprøven i alkoholloven",
                "name_en": "The Alcohol Act knowledge test",
                "location": "Eksamenssalen, Testgata 5, 0150 Oslo",
                "capacity": 20,
                "slot_minutes": 90,
                "horizon_days": 90,
                "min_notice_minutes": 24 * 60,
                "quota_per_person": 1,
                "price_rule": Resource.PriceRule.PER_BOOKING,
                "price_ore": 40000,
                "cancel_deadline_hours": 48,
                "hold_minutes": 15,
            },
        )
        if created:
            OpeningRule.objects.create(
                resource=resource, weekday=1, opens=time(10), closes=time(11, 30)
            )
            OpeningRule.objects.create(
                resource=resource, weekday=3, opens=time(17), closes=time(18, 30)
            )
    return resource


def load_gymsal() -> Resource | None:
    """A school gym rented by the hour on weekday evenings: staff approve, the approval
    raises the claim (155 kr per hour, DOMAIN.md's middle size); 10 days' cancellation."""
    agency = Agency.objects.filter(slug="utdanningsetaten").first()
    if agency is None:
        return None
    with transaction.atomic():
        resource, created = Resource.objects.get_or_create(
            slug=GYMSAL,
            defaults={
                "agency": agency,
                "name_nb": "Gymsal, Testlia skole",
                "name_en": "Gym, Testlia school",
                "location": "Testlia skole, Skoleveien 1, 0150 Oslo",
                "capacity": 1,
                "slot_minutes": 60,
                "horizon_days": 120,
                "min_notice_minutes": 3 * 24 * 60,
                "quota_per_person": 4,
                "price_rule": Resource.PriceRule.PER_HOUR,
                "price_ore": 15500,
                "needs_approval": True,
                "cancel_deadline_hours": 240,
                "hold_minutes": 15,
                # Leie av skolelokaler: child and youth organisations rent for free; in
                # Enhetsregisteret a forening/lag in sport or interest work (the demo's
                # Syntetisk Idrettslag Oslo, FLI 93.120).
                "free_for": FREE_FOR_YOUTH,
            },
        )
        if created:
            for weekday in range(4):
                OpeningRule.objects.create(
                    resource=resource, weekday=weekday, opens=time(18), closes=time(22)
                )
    return resource
