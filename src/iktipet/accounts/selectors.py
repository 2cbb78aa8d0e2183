"""Reads of the accounts app, checked against the actor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from iktipet.accounts.models import Person
from iktipet.core import rows

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


def person_of_signed_in(user: Viewer) -> Person:
    """``person_for_user`` for a page that has ``request.user`` loaded already (Min side):
    the person's own row only, by a primary-key-like look-up with no join and no ORDER BY to
    build (issue 13), linked to ``user`` both ways."""
    if not user.is_authenticated:
        raise Http404
    user_id = user.pk
    # One row (the user is unique), read with SQL compiled once per connection (core.rows).
    person = rows.first_or_404(
        Person,
        "accounts.person_of_signed_in",
        lambda using: Person.objects.using(using).filter(user_id=user_id).order_by(),
        lambda connection: [user_id],
    )
    field = Person._meta.get_field("user")
    field.set_cached_value(person, user)
    field.remote_field.set_cached_value(user, person)
    return person
