"""The accessibility feedback form: who writes is optional, what they write is not."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from iktipet.core.forms import TextField
from iktipet.portal.models import MESSAGE_MAX_LENGTH


class FeedbackForm(forms.Form):
    name = TextField(
        label=_("Navn (valgfritt)"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("Navnet kan ha høyst %(limit_value)d tegn.")},
    )
    email = forms.EmailField(
        label=_("E-post (valgfritt)"),
        help_text=_("Bare hvis du vil ha svar."),
        required=False,
        error_messages={"invalid": _("Skriv e-postadressen som navn@eksempel.no.")},
    )
    message = TextField(
        label=_("Hva fungerte ikke for deg?"),
        help_text=_("Skriv hvilken side det gjelder og hva som skjedde."),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Skriv hva som ikke fungerte."),
            "max_length": _(
                "Meldingen kan ha høyst %(limit_value)d tegn (den har %(show_value)d)."
            ),
        },
    )
