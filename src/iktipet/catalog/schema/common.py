"""Building blocks shared by every part of a service definition."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from django.utils.translation import get_language
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

FIELD_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
SERVICE_ID_PATTERN = r"^[a-z][a-z0-9-]*[a-z0-9]$"
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

Identifier = Annotated[str, StringConstraints(pattern=FIELD_ID_PATTERN, max_length=50)]
ServiceId = Annotated[str, StringConstraints(pattern=SERVICE_ID_PATTERN, max_length=60)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
OptionValue = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)]


class Model(BaseModel):
    """Every schema node: unknown keys are errors, and parsed definitions are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text(Model):
    """A user-facing text in both languages the portal speaks."""

    nb: Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
    en: Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

    def get(self, language: str | None = None) -> str:
        language = language or get_language() or "nb"
        return self.en if language.startswith("en") else self.nb

    def __str__(self) -> str:
        return self.get()


def _compiles(expression: str) -> str:
    from iktipet.catalog.rules.engine import RuleSyntaxError, compile_expression

    try:
        compile_expression(expression)
    except RuleSyntaxError as exc:
        raise ValueError(f"CEL syntax error: {exc.detail}") from None
    return expression


Expression = Annotated[
    str, StringConstraints(min_length=1, max_length=4000), AfterValidator(_compiles)
]
"""A CEL expression; compiled when the definition is parsed so a syntax error has a path."""


def _regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    return pattern


Regex = Annotated[str, StringConstraints(min_length=1, max_length=500), AfterValidator(_regex)]

_RELATIVE = re.compile(r"^today(?:([+-])(\d{1,4})([dwmy]))?$")


def _relative_date(value: str) -> str:
    if _RELATIVE.match(value):
        return value
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{value!r} is not a date: write YYYY-MM-DD, 'today', or e.g. 'today+14d', "
            "'today-20y' (units d, w, m, y)"
        ) from None
    return value


RelativeDate = Annotated[str, AfterValidator(_relative_date)]
"""`2025-03-01`, `today`, or `today±N` with unit d/w/m/y — resolved on the day of use."""


def resolve_date(spec: str, today: date) -> date:
    """The date a :data:`RelativeDate` means on ``today``."""
    match = _RELATIVE.match(spec)
    if not match:
        return date.fromisoformat(spec)
    sign, amount, unit = match.groups()
    if sign is None:
        return today
    n = int(amount) * (1 if sign == "+" else -1)
    if unit == "d":
        return today + timedelta(days=n)
    if unit == "w":
        return today + timedelta(weeks=n)
    months = n * (12 if unit == "y" else 1)
    year, month = divmod(today.month - 1 + months, 12)
    year += today.year
    day = min(today.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


class Prefill(Model):
    """Where a field's initial value (or a choice field's options) comes from.

    ``source`` names a register adapter, ``path`` a value it offers. ``from`` names the
    field whose answer identifies the record (e.g. the property field for neighbours).
    Written in YAML either as ``person.full_name`` or as a mapping.
    """

    source: Literal["person", "organisation", "property", "contact"]
    path: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
    from_field: Identifier | None = Field(default=None, alias="from")
    editable: bool = True

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            source, _, path = data.partition(".")
            return {"source": source, "path": path}
        return data

    def __str__(self) -> str:
        return f"{self.source}.{self.path}"


class Option(Model):
    value: OptionValue
    label: Text
    hint: Text | None = None
