"""The contract every field type keeps, and the field description it works on.

A field type turns what a browser posted (*raw*: strings, lists and dicts of strings, kept
as typed so a page with errors shows them again) into a *value* stored in the draft's
answers (JSON), or raises :class:`FieldError` with a translated message. Nothing a browser
can send makes a field type raise anything else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext as _

Raw = Any


class FieldError(ValueError):
    """A value the field refuses. ``anchor`` names the input the message belongs to."""

    def __init__(self, message: str, code: str = "invalid", anchor: str = "") -> None:
        self.message = message
        self.code = code
        self.anchor = anchor
        super().__init__(message)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class FieldSpec:
    """One field as the engine needs it, resolved to the current language.

    Built from the catalog's schema by :mod:`iktipet.applications.engine.specs`, once per
    process and language (frozen: every request shares it; ``dataclasses.replace`` for a
    variant).
    """

    id: str
    type: str
    label: str = ""
    hint: str = ""
    required: bool = False
    options: list[Option] = field(default_factory=list)
    widget: str = ""  # "select" for a single choice shown as a drop-down
    min_value: Any = None
    max_value: Any = None
    max_length: int | None = None
    accept: list[str] = field(default_factory=list)
    children: list[FieldSpec] = field(default_factory=list)
    min_items: int | None = None
    max_items: int | None = None
    source: str = ""  # a register for choices (e.g. "kindergartens")
    text: str = ""  # information text
    visible_if: str = ""
    required_if: str = ""
    prefill: str = ""
    international: bool = False  # phone: accept numbers from any country
    min_length: int | None = None
    pattern: str = ""
    pattern_message: str = ""
    decimals: int = 2
    unit: str = ""
    max_size_mb: int | None = None
    min_message: str = ""
    max_message: str = ""
    variant: str = "neutral"  # info
    item_label: str = ""  # group
    municipalities: list[str] = field(default_factory=list)  # property


@dataclass
class Context:
    """What a field type may need besides the input: registers, stored files, settings."""

    allow_synthetic_ids: bool = False
    choices: Mapping[str, Sequence[Option]] = field(default_factory=dict)
    attachments: Mapping[str, Any] = field(default_factory=dict)  # id → Attachment
    address_search: Any = None  # callable(query) -> list[dict]


def first(data: Mapping[str, Any], name: str) -> str:
    """The first posted string for ``name``; "" when absent. Works on QueryDict and dict."""
    getlist = getattr(data, "getlist", None)
    values = getlist(name) if getlist else data.get(name)
    if isinstance(values, list | tuple):
        values = values[0] if values else ""
    return values if isinstance(values, str) else ""


def every(data: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    values = getlist(name) if getlist else data.get(name, [])
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list | tuple):
        return []
    return [value for value in values if isinstance(value, str)]


class FieldType:
    """Base of every field type; subclasses override what differs."""

    name: ClassVar[str] = ""
    #: How the step page shows the field: a writer of :mod:`~iktipet.applications.fields.html`
    #: by name, or (for the rarer composite types) a template, which takes precedence.
    markup: ClassVar[str] = "text"
    template: ClassVar[str] = ""
    has_value: ClassVar[bool] = True
    #: The input a label's for= and the error summary's link point at, after the field's id.
    anchor_suffix: ClassVar[str] = ""

    def anchor_for(self, spec: FieldSpec) -> str:
        """The suffix of the input the error summary links to for ``spec``."""
        return self.anchor_suffix

    def raw_from_post(self, spec: FieldSpec, data: Mapping[str, Any], name: str) -> Raw:
        return first(data, name)

    def raw_from_value(self, spec: FieldSpec, value: Any) -> Raw:
        return "" if value is None else str(value)

    def is_empty(self, raw: Raw) -> bool:
        if isinstance(raw, str):
            return not raw.strip()
        if isinstance(raw, list | tuple):
            return not any(not self.is_empty(item) for item in raw)
        if isinstance(raw, dict):
            return all(self.is_empty(item) for item in raw.values())
        return raw is None

    def clean(self, spec: FieldSpec, raw: Raw, ctx: Context) -> Any:
        raise NotImplementedError

    def display(self, spec: FieldSpec, value: Any) -> str:
        return "" if value is None else str(value)

    def rule_value(self, spec: FieldSpec, value: Any) -> Any:
        """The value CEL rules see."""
        return value

    def required_message(self, spec: FieldSpec) -> str:
        return _("Fyll ut «%(label)s».") % {"label": spec.label}
