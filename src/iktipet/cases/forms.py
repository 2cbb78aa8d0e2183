"""Forms of the case workers' pages: they parse input; cases.services decides what is allowed.

Each form's ``field_errors()`` gives ``{field: message}`` for the templates, which render the
markup themselves (Designsystemet fields, error summary), so a typed value is always kept.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from iktipet.cases.models import Decision
from iktipet.cases.services import INFORMATION_ANSWER_DAYS, MAX_NOTE
from iktipet.core.forms import TextField


class _Form(forms.Form):
    def field_errors(self) -> dict[str, str]:
        return {name: str(errors[0]) for name, errors in self.errors.items() if errors}


class NoteForm(_Form):
    note = TextField(required=False, max_length=MAX_NOTE, strip=True)


class MessageForm(_Form):
    body = TextField(required=False, max_length=MAX_NOTE, strip=False)


class RequestInformationForm(_Form):
    body = TextField(required=False, max_length=MAX_NOTE, strip=False)
    answer_days = forms.IntegerField(
        initial=INFORMATION_ANSWER_DAYS,
        min_value=1,
        max_value=90,
        error_messages={
            "required": _("Skriv hvor mange dager søkeren har til å svare."),
            "invalid": _("Svarfristen må være et helt antall dager."),
            "min_value": _("Svarfristen må være mellom 1 og 90 dager."),
            "max_value": _("Svarfristen må være mellom 1 og 90 dager."),
        },
    )


class AssignForm(_Form):
    assignee = forms.IntegerField(
        error_messages={
            "required": _("Velg en saksbehandler."),
            "invalid": _("Velg en saksbehandler."),
        }
    )


class HearingResponseForm(_Form):
    has_remarks = forms.ChoiceField(
        choices=[("no", "no"), ("yes", "yes")],
        error_messages={
            "required": _("Velg om høringsinstansen har merknader."),
            "invalid_choice": _("Velg om høringsinstansen har merknader."),
        },
    )
    response = TextField(required=False, max_length=MAX_NOTE, strip=False)


class DecisionForm(_Form):
    """Only parses: decide_case checks outcome, justification and legal basis (§ 24–25)."""

    outcome = TextField(required=False, max_length=20)
    justification = TextField(required=False, strip=False, max_length=20_000 * 2)
    legal_basis = TextField(required=False, strip=False, max_length=2_000 * 2)
    appeal_body = TextField(required=False, max_length=400)

    OUTCOMES = Decision.Outcome.choices


class OfferForm(_Form):
    kindergarten = TextField(
        max_length=50, error_messages={"required": _("Velg barnehagen plassen gjelder.")}
    )
    start_date = forms.DateField(
        error_messages={
            "required": _("Skriv datoen barnet kan begynne."),
            "invalid": _("Skriv oppstartsdatoen som dd.mm.åååå."),
        },
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )


class ClaimForm(_Form):
    """Only parses (the amount as typed, e.g. "1 250,50"): raise_claim checks every value."""

    text = TextField(required=False, max_length=400)
    amount = TextField(required=False, max_length=40)
    reason = TextField(required=False, strip=False, max_length=4_000)
    due_date = forms.DateField(
        required=False,
        error_messages={"invalid": _("Skriv forfallsdatoen som dd.mm.åååå.")},
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
