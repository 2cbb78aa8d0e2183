"""Field types by the name the service definitions use (see catalog.schema.fields)."""

from __future__ import annotations

from iktipet.applications.fields import composite, simple
from iktipet.applications.fields.base import Context, FieldError, FieldSpec, FieldType, Option

FIELD_TYPES: dict[str, FieldType] = {
    field_type.name: field_type
    for field_type in (
        simple.TextField(),
        simple.LongTextField(),
        simple.IntegerField(),
        simple.DecimalField(),
        simple.MoneyField(),
        simple.DateField(),
        simple.YesNoField(),
        simple.SingleChoiceField(),
        simple.MultipleChoiceField(),
        simple.EmailField(),
        simple.PhoneField(),
        simple.FodselsnummerField(),
        simple.OrgnrField(),
        simple.DeclarationField(),
        simple.InformationField(),
        composite.AddressField(),
        composite.PropertyField(),
        composite.PersonField(),
        composite.RankedChoiceField(),
        composite.FileField(),
    )
}


def field_type(name: str) -> FieldType:
    return FIELD_TYPES[name]


__all__ = ["FIELD_TYPES", "Context", "FieldError", "FieldSpec", "FieldType", "Option", "field_type"]
