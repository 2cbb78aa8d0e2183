"""The login forms: choose a synthetic person (or type a synthetic number), or a staff user."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from iktipet.core.identifiers import (
    InvalidIdentifier,
    is_synthetic_fodselsnummer,
    validate_fodselsnummer,
)
from iktipet.testid.identities import STAFF_USERS, test_person_by_key, test_persons

LEVEL_CHOICES = [
    ("substantial", _("Betydelig (idporten-loa-substantial)")),
    ("high", _("Høyt (idporten-loa-high)")),
]


class CitizenLoginForm(forms.Form):
    person = forms.ChoiceField(
        label=_("Velg en testperson"),
        required=False,
        error_messages={"invalid_choice": _("Velg en av testpersonene i listen.")},
    )
    fnr = forms.CharField(
        label=_("Syntetisk fødselsnummer"),
        help_text=_("11 siffer. Bare syntetiske testnumre (måned + 80 eller + 40)."),
        required=False,
        max_length=20,
    )
    level = forms.ChoiceField(
        label=_("Sikkerhetsnivå"),
        choices=LEVEL_CHOICES,
        error_messages={
            "required": _("Velg sikkerhetsnivå."),
            "invalid_choice": _("Velg betydelig eller høyt sikkerhetsnivå."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persons = test_persons()
        self.fields["person"].choices = [(p.key, p.name) for p in self.persons]

    def clean_fnr(self) -> str:
        value = self.cleaned_data.get("fnr", "")
        if not value.strip():
            return ""
        try:
            number = validate_fodselsnummer(value, allow_synthetic=True)
        except InvalidIdentifier as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None
        if not is_synthetic_fodselsnummer(number):
            raise forms.ValidationError(
                _(
                    "TestID godtar bare syntetiske fødselsnumre (måned + 80 eller + 40), "
                    "aldri ekte."
                ),
                code="not_synthetic",
            )
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors.get("fnr"):
            return cleaned
        if cleaned.get("fnr"):
            cleaned["pid"] = cleaned["fnr"]
        elif cleaned.get("person"):
            person = test_person_by_key(cleaned["person"])
            if person is None:
                self.add_error("person", _("Velg en av testpersonene i listen."))
            else:
                cleaned["pid"] = person.pid
        else:
            self.add_error(
                "person", _("Velg en testperson eller skriv inn et syntetisk fødselsnummer.")
            )
        return cleaned


class StaffLoginForm(forms.Form):
    staff = forms.ChoiceField(
        label=_("Velg en testansatt"),
        choices=[(u.username, u.name) for u in STAFF_USERS],
        error_messages={
            "required": _("Velg en testansatt."),
            "invalid_choice": _("Velg en av testansatte i listen."),
        },
    )
