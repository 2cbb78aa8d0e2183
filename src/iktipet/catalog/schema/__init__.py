"""The service-definition schema (pydantic). See docs/service-definitions.md."""

from iktipet.catalog.schema.common import Option, Prefill, Text, resolve_date
from iktipet.catalog.schema.definition import (
    BookingStep,
    Computed,
    Fee,
    FeeLine,
    FormService,
    FormStep,
    LinkService,
    StopRule,
    Validation,
    parse_definition,
)
from iktipet.catalog.schema.fields import (
    FIELD_TYPES,
    LIST_VALUED,
    FieldBase,
    GroupField,
    InfoField,
)

Definition = FormService | LinkService

__all__ = [
    "FIELD_TYPES",
    "LIST_VALUED",
    "BookingStep",
    "Computed",
    "Definition",
    "Fee",
    "FeeLine",
    "FieldBase",
    "FormService",
    "FormStep",
    "GroupField",
    "InfoField",
    "LinkService",
    "Option",
    "Prefill",
    "StopRule",
    "Text",
    "Validation",
    "parse_definition",
    "resolve_date",
]
