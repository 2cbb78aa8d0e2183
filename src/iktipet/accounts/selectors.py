"""Reads of the accounts app, checked against the actor."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from iktipet.accounts.models import Person


def person_for_user(user: Any) -> Person:
    """The person record of a logged-in citizen; 404 for anyone else."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise Http404
    person = Person.objects.select_related("user").filter(user=user).first()
    if person is None:
        raise Http404
    return person
