"""The field types a service step can hold. The form engine renders them; this file only
describes them and checks that a definition uses them consistently."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from iktipet.catalog.schema.common import (
    Expression,
    Identifier,
    Model,
    Option,
    Prefill,
    Regex,
    RelativeDate,
    Slug,
    Text,
)

MIME_TYPES = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/heic",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
)
REGISTERS = ("kindergartens",)
AUTOCOMPLETE = Annotated[str, Field(pattern=r"^[a-z][a-z0-9 -]*$", max_length=60)]


class FieldBase(Model):
    id: Identifier
    label: Text
    hint: Text | None = None
    required: bool = True
    required_if: Expression | None = None
    visible_if: Expression | None = None
    prefill: Prefill | None = None

    @model_validator(mode="after")
    def _required_or_required_if(self) -> FieldBase:
        if self.required_if and "required" in self.model_fields_set:
            raise ValueError("give either 'required' or 'required_if', not both")
        return self

    @property
    def is_conditionally_required(self) -> bool:
        return self.required_if is not None

    def expressions(self) -> dict[str, str]:
        """This field's CEL expressions by key (for checks and tooling)."""
        return {
            key: value
            for key in ("visible_if", "required_if")
            if (value := getattr(self, key)) is not None
        }


def _check_range(low: object, high: object) -> None:
    if low is not None and high is not None and low > high:  # type: ignore[operator]
        raise ValueError(f"minimum {low} is greater than maximum {high}")


class TextField(FieldBase):
    type: Literal["text"]
    min_length: int | None = Field(default=None, ge=0)
    max_length: int = Field(default=200, ge=1, le=1000)
    pattern: Regex | None = None
    pattern_message: Text | None = None
    autocomplete: AUTOCOMPLETE | None = None

    @model_validator(mode="after")
    def _lengths(self) -> TextField:
        _check_range(self.min_length, self.max_length)
        return self


class LongTextField(FieldBase):
    type: Literal["long_text"]
    min_length: int | None = Field(default=None, ge=0)
    max_length: int = Field(default=4000, ge=1, le=20000)

    @model_validator(mode="after")
    def _lengths(self) -> LongTextField:
        _check_range(self.min_length, self.max_length)
        return self


class IntegerField(FieldBase):
    type: Literal["integer"]
    min: int | None = None
    max: int | None = None
    unit: Text | None = None

    @model_validator(mode="after")
    def _range(self) -> IntegerField:
        _check_range(self.min, self.max)
        return self


class DecimalField(FieldBase):
    type: Literal["decimal"]
    min: float | None = None
    max: float | None = None
    decimals: int = Field(default=2, ge=0, le=6)
    unit: Text | None = None

    @model_validator(mode="after")
    def _range(self) -> DecimalField:
        _check_range(self.min, self.max)
        return self


class MoneyField(FieldBase):
    """An amount in NOK, answered in kroner and stored as integer øre (min/max in øre)."""

    type: Literal["money"]
    currency: Literal["NOK"] = "NOK"
    min: int | None = Field(default=None, ge=0)
    max: int | None = None

    @model_validator(mode="after")
    def _range(self) -> MoneyField:
        _check_range(self.min, self.max)
        return self


class DateField(FieldBase):
    type: Literal["date"]
    min: RelativeDate | None = None
    max: RelativeDate | None = None
    min_message: Text | None = None
    max_message: Text | None = None


class YesNoField(FieldBase):
    type: Literal["yes_no"]


class _ChoiceBase(FieldBase):
    options: list[Option] | None = None
    options_from: Prefill | None = None

    @model_validator(mode="after")
    def _one_source_of_options(self) -> _ChoiceBase:
        if (self.options is None) == (self.options_from is None):
            raise ValueError("give exactly one of 'options' and 'options_from'")
        if self.options is not None:
            if not self.options:
                raise ValueError("'options' is empty")
            values = [option.value for option in self.options]
            duplicates = sorted({v for v in values if values.count(v) > 1})
            if duplicates:
                raise ValueError(f"duplicate option value(s): {', '.join(duplicates)}")
        return self

    @property
    def option_values(self) -> list[str]:
        return [option.value for option in self.options or []]


class SingleChoiceField(_ChoiceBase):
    type: Literal["single_choice"]
    widget: Literal["radio", "select"] = "radio"


class MultipleChoiceField(_ChoiceBase):
    type: Literal["multiple_choice"]
    min_selected: int | None = Field(default=None, ge=0)
    max_selected: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _range(self) -> MultipleChoiceField:
        _check_range(self.min_selected, self.max_selected)
        if self.options and self.max_selected and self.max_selected > len(self.options):
            raise ValueError("max_selected is larger than the number of options")
        return self


class EmailField(FieldBase):
    type: Literal["email"]
    autocomplete: AUTOCOMPLETE | None = "email"


class PhoneField(FieldBase):
    type: Literal["phone"]
    allow_foreign: bool = True
    autocomplete: AUTOCOMPLETE | None = "tel"


class FodselsnummerField(FieldBase):
    """A Norwegian national identity number (also D-number); always shown masked."""

    type: Literal["fodselsnummer"]


class OrganisasjonsnummerField(FieldBase):
    type: Literal["organisasjonsnummer"]


class AddressField(FieldBase):
    """Street address, postnummer and poststed (answer: a map with those keys)."""

    type: Literal["address"]
    norwegian_only: bool = True


class PropertyField(FieldBase):
    """A cadastral unit: kommunenummer, gårdsnummer, bruksnummer, festenummer, seksjonsnummer."""

    type: Literal["property"]
    municipalities: list[Annotated[str, Field(pattern=r"^\d{4}$")]] | None = None


class PersonField(FieldBase):
    """A named person with fødselsnummer (answer: a map with ``name`` and ``fnr``)."""

    type: Literal["person"]


class RankedChoiceField(FieldBase):
    """Choices from a register in order of preference (e.g. up to five kindergartens)."""

    type: Literal["ranked_choice"]
    # `register` is the YAML key; the attribute has another name because pydantic models
    # already have a `register` (from ABCMeta).
    register_name: Literal[REGISTERS] = Field(alias="register")  # type: ignore[valid-type]
    min_choices: int = Field(default=1, ge=0)
    max_choices: int = Field(ge=1, le=20)

    @model_validator(mode="after")
    def _range(self) -> RankedChoiceField:
        _check_range(self.min_choices, self.max_choices)
        return self

    @property  # type: ignore[override]
    def register(self) -> str:  # the YAML key, for readers of the definition
        return self.register_name


class FileField(FieldBase):
    """An attachment. ``document_type`` names the kind of document for case handling/archive."""

    type: Literal["file"]
    accept: list[Literal[MIME_TYPES]] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["application/pdf", "image/jpeg", "image/png"], min_length=1
    )
    max_size_mb: int = Field(default=10, ge=1, le=50)
    max_files: int = Field(default=1, ge=1, le=20)
    document_type: Slug | None = None


class DeclarationField(FieldBase):
    """A checkbox the applicant must tick (the label is the declaration)."""

    type: Literal["declaration"]


class InfoField(Model):
    """Text shown in the step, not a question. ``{name}`` in the text is replaced by the
    computed value ``name`` (see the definition's ``computed`` list)."""

    type: Literal["info"]
    id: Identifier
    label: Text | None = None
    text: Text
    variant: Literal["info", "warning", "success", "neutral"] = "neutral"
    visible_if: Expression | None = None

    def expressions(self) -> dict[str, str]:
        return {"visible_if": self.visible_if} if self.visible_if else {}


_SIMPLE = (
    TextField,
    LongTextField,
    IntegerField,
    DecimalField,
    MoneyField,
    DateField,
    YesNoField,
    SingleChoiceField,
    MultipleChoiceField,
    EmailField,
    PhoneField,
    FodselsnummerField,
    OrganisasjonsnummerField,
    AddressField,
    PropertyField,
    PersonField,
    RankedChoiceField,
    FileField,
    DeclarationField,
    InfoField,
)
SimpleField = Annotated[Union[_SIMPLE], Field(discriminator="type")]  # noqa: UP007


class GroupField(FieldBase):
    """A repeating group: each item holds the inner fields (answer: a list of maps).

    Inside the group, expressions see the current item as ``item``.
    """

    type: Literal["group"]
    fields: list[SimpleField] = Field(min_length=1)
    min_items: int = Field(default=0, ge=0)
    max_items: int = Field(default=20, ge=1, le=200)
    item_label: Text | None = None

    @model_validator(mode="after")
    def _range(self) -> GroupField:
        _check_range(self.min_items, self.max_items)
        return self


AnyField = Annotated[Union[(*_SIMPLE, GroupField)], Field(discriminator="type")]

FIELD_TYPES: tuple[str, ...] = tuple(
    cls.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    for cls in (*_SIMPLE, GroupField)
)
# Answers that are lists: unanswered they are [] (not null), so `'x' in answer` just works.
LIST_VALUED = frozenset({"multiple_choice", "ranked_choice", "file", "group"})
