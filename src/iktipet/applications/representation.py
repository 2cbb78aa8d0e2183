"""Which roles in Enhetsregisteret let a person apply for an organisation, per service.

The accounts app asks this (through ``accounts.parties.service_roles_from``) when a person
chooses whom to act for a service, and the application pages ask it again on every request
that acts for an organisation: the codes always come from the published definition.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404


def representation_roles(service_id: str) -> list[str] | None:
    """The published service's ``representation_roles`` (empty: the platform default);
    None for a service that is not published or takes no application."""
    from iktipet.catalog.schema import FormService
    from iktipet.catalog.selectors import current_version, published_service

    try:
        definition = current_version(published_service(service_id)).definition_model
    except Http404:
        return None
    if not isinstance(definition, FormService):
        return None
    return list(definition.representation_roles)


def may_apply_for(user: Any, orgnr: str, definition: Any) -> bool:
    """Whether ``user`` may act for ``orgnr`` in the service of ``definition`` now (the
    register asked through the accounts app's short-lived cache). Raises RegisterFailed."""
    from iktipet.accounts.parties import confirmed_recently, role_codes_for
    from iktipet.accounts.registers import right_to_act
    from iktipet.accounts.selectors import person_for_user

    codes = tuple(definition.representation_roles) or role_codes_for(None)
    if confirmed_recently(user.pk, orgnr, codes):
        return True
    return right_to_act(person_for_user(user), orgnr, codes)
