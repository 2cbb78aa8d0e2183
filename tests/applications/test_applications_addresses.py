"""An application's addresses, reversed once per process, are what reverse() gives."""

from __future__ import annotations

import uuid

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from iktipet.applications.addresses import application_url

ID = uuid.uuid4()


@pytest.mark.parametrize("name", ["summary", "submit", "receipt", "resume", "pay"])
def test_an_application_address_is_what_reverse_gives(name):
    assert application_url(name, ID) == reverse(f"applications:{name}", args=[ID])


@pytest.mark.parametrize("name", ["step", "preview"])
@pytest.mark.parametrize("step_id", ["om", "steg-2", "a_b"])
def test_a_step_address_is_what_reverse_gives(name, step_id):
    assert application_url(name, ID, step_id) == reverse(f"applications:{name}", args=[ID, step_id])


def test_under_another_script_prefix_and_with_a_step_id_reverse_refuses():
    try:
        set_script_prefix("/kommune/")
        assert application_url("summary", ID) == reverse("applications:summary", args=[ID])
        assert application_url("summary", ID).startswith("/kommune/")
    finally:
        set_script_prefix("/")
    with pytest.raises(NoReverseMatch):
        application_url("step", ID, "æøå/..")
