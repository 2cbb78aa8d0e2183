"""Reads of the accounts app, checked against the actor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from iktipet.accounts.models import Person

if TYPE_CHECKING:
    from iktipet.accounts.types import Viewer


def person_for_user(user: Viewer) -> Person:
    """The person record of a logged-in citizen; 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404
    person = Person.objects.select_related("user").filter(user_id=user.pk).first()
    if person is None:
        raise Http404
    # Kept on the user (request.user, for the rest of the request) as ``user.person``: the
    # Min side sections that read it again then need no query of their own.
    Person._meta.get_field("user").remote_field.set_cached_value(user, person)
    return person
