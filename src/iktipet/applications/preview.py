"""A step as it would look with what the person has typed so far, for the live questions
(issue 14): the same rules as saving, nothing written.

A script on the step page posts the form here as the person answers and puts the returned
fields in place, so questions the answers reveal, and computed texts such as the fee, show
without pressing "Neste steg". Without JavaScript nothing of this is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from iktipet.accounts.parties import ActingParty
from iktipet.applications.engine.form import BoundField, StepForm
from iktipet.applications.models import Application
from iktipet.applications.prefill import RegisterLookups, locked_fields
from iktipet.applications.services.base import engine_context
from iktipet.applications.services.steps import prefill_from_answers

if TYPE_CHECKING:
    from iktipet.accounts.types import User


def preview_fields(
    application: Application,
    step: Any,
    *,
    user: User,
    party: ActingParty,
    data: Any,
    shown: set[str] | None,
) -> tuple[list[BoundField], list[str]]:
    """The step's fields for ``data`` (visible or not, as the rules say) and the ids the
    page then shows. No errors: the person is still answering, they come on "Neste steg"."""
    definition = application.service_version.form_model
    lookups = RegisterLookups(user, party)
    form = StepForm(definition, step, engine_context(application, lookups, step.fields))
    form.readonly = locked_fields(step.fields)
    form.read(data, application.answers, shown)
    merged = form.clean(application.answers)
    # As on saving: a field whose register record another answer names (the property's
    # address from its matrikkel number) is filled in, so the person sees it before going on.
    if prefill_from_answers(form, step, merged, lookups):
        form.clean(application.answers)
    form.field_errors = {}
    return form.bound_fields(attachments=form.ctx.attachments), form.shown_ids()
