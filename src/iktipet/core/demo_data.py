"""Synthetic demo data for the core: Oslo kommune and four of its agencies."""

from __future__ import annotations

from iktipet.core.demo import loader
from iktipet.core.models import Agency, Municipality

AGENCIES = [
    {
        "slug": "naeringsetaten",
        "name_nb": "Næringsetaten",
        "name_en": "Agency for Business Development",
        "email": "postmottak.nae@demo.iktipet.invalid",
        "phone": "00 00 00 00",
        "address": "Demoveien 1, 0150 Oslo",
    },
    {
        "slug": "plan-og-bygningsetaten",
        "name_nb": "Plan- og bygningsetaten",
        "name_en": "Agency for Planning and Building Services",
        "email": "postmottak.pbe@demo.iktipet.invalid",
        "phone": "00 00 00 00",
        "address": "Demoveien 2, 0150 Oslo",
    },
    {
        "slug": "utdanningsetaten",
        "name_nb": "Utdanningsetaten",
        "name_en": "Education Agency",
        "email": "postmottak.ude@demo.iktipet.invalid",
        "phone": "00 00 00 00",
        "address": "Demoveien 3, 0150 Oslo",
    },
    {
        "slug": "bymiljoetaten",
        "name_nb": "Bymiljøetaten",
        "name_en": "Agency for Urban Environment",
        "email": "postmottak.bym@demo.iktipet.invalid",
        "phone": "00 00 00 00",
        "address": "Demoveien 4, 0150 Oslo",
    },
]


@loader(order=0)
def load_municipality() -> None:
    oslo, _ = Municipality.objects.update_or_create(
        kommunenummer="0301",
        defaults={
            "name": "Oslo kommune",
            "theme": "digdir",
            "website": "https://www.oslo.kommune.no/",
        },
    )
    for agency in AGENCIES:
        Agency.objects.update_or_create(
            slug=agency["slug"], defaults={**agency, "municipality": oslo}
        )
