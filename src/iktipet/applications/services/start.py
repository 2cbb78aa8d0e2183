"""Starting an application: a new draft, once per start form."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from iktipet.accounts.parties import ORGANISATION, ActingParty
from iktipet.applications.engine.journey import Journey
from iktipet.applications.models import Application
from iktipet.core import audit

if TYPE_CHECKING:
    from iktipet.accounts.types import User


def start_application(
    *, user: User, party: ActingParty, version: Any, start_token: uuid.UUID | None = None
) -> Application:
    """A new draft for ``version``; the same draft again for a repeated start form."""
    definition = version.definition_model
    if start_token is not None:
        existing = Application.objects.filter(applicant=user, start_token=start_token).first()
        if existing is not None:
            return existing
    first_step = Journey.for_answers(definition, {}).first
    try:
        with transaction.atomic():
            application = Application.objects.create(
                service_version=version,
                service_id=definition.id,
                applicant=user,
                party_kind=party.kind,
                party_identifier=party.identifier if party.kind == ORGANISATION else "",
                party_name=party.name[:200],
                start_token=start_token,
                current_step=first_step.id if first_step else "",
            )
            audit.record(
                user,
                "applications.started",
                application,
                {"service": definition.id, "version": version.number, "party": party.kind},
            )
    except IntegrityError:  # the same start form posted twice at once
        return Application.objects.get(applicant=user, start_token=start_token)
    return application
