"""Core demo data: Oslo kommune and four agencies, loaded idempotently."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from iktipet.core.demo import loaders
from iktipet.core.models import Agency, Municipality

pytestmark = pytest.mark.django_db


def test_load_demo_twice_gives_one_municipality_and_four_agencies():
    call_command("load_demo", verbosity=0)
    first = {a.slug: a.pk for a in Agency.objects.all()}
    call_command("load_demo", verbosity=0)

    oslo = Municipality.objects.get()
    assert (oslo.kommunenummer, oslo.name) == ("0301", "Oslo kommune")
    assert Agency.objects.count() == 4
    assert {a.slug: a.pk for a in Agency.objects.all()} == first
    assert set(Agency.objects.values_list("municipality_id", flat=True)) == {oslo.pk}


def test_loaders_run_in_order_with_core_first():
    call_command("load_demo", verbosity=0)
    names = [item.name for item in loaders()]
    assert names[0] == "iktipet.core.demo_data.load_municipality"
    orders = [item.order for item in loaders()]
    assert orders == sorted(orders)


def test_demo_data_restores_edited_agencies():
    call_command("load_demo", verbosity=0)
    Agency.objects.filter(slug="bymiljoetaten").update(name_nb="Feil navn")
    call_command("load_demo", verbosity=0)
    assert Agency.objects.get(slug="bymiljoetaten").name_nb == "Bymiljøetaten"


def test_agency_name_follows_the_language():
    from django.utils import translation

    call_command("load_demo", verbosity=0)
    agency = Agency.objects.get(slug="utdanningsetaten")
    with translation.override("en"):
        assert agency.name == "Education Agency"
    with translation.override("nb"):
        assert agency.name == "Utdanningsetaten"
