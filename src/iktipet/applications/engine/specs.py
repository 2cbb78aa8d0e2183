"""Schema fields of the catalog → :class:`FieldSpec` in the current language."""

from __future__ import annotations

from typing import Any

from iktipet.applications.fields import FieldSpec, Option


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.get() if hasattr(value, "get") else str(value)


def _options(field: Any) -> list[Option]:
    return [
        Option(option.value, _text(option.label), _text(option.hint))
        for option in getattr(field, "options", None) or []
    ]


def spec_for(field: Any) -> FieldSpec:
    """The engine's view of one schema field (``field.type`` names the field type)."""
    kind = field.type
    spec = FieldSpec(
        id=field.id,
        type=kind,
        label=_text(getattr(field, "label", None)),
        hint=_text(getattr(field, "hint", None)),
        required=bool(getattr(field, "required", False)),
        options=_options(field),
        widget=getattr(field, "widget", "") or "",
        visible_if=getattr(field, "visible_if", None) or "",
        required_if=getattr(field, "required_if", None) or "",
        prefill=str(getattr(field, "prefill", None) or ""),
    )
    if kind in ("text", "long_text"):
        spec.max_length = field.max_length
        spec.min_length = field.min_length
        spec.pattern = getattr(field, "pattern", None) or ""
        spec.pattern_message = _text(getattr(field, "pattern_message", None))
    elif kind in ("integer", "decimal", "money", "date"):
        spec.min_value, spec.max_value = field.min, field.max
        spec.unit = _text(getattr(field, "unit", None))
        spec.decimals = getattr(field, "decimals", 2)
        spec.min_message = _text(getattr(field, "min_message", None))
        spec.max_message = _text(getattr(field, "max_message", None))
    elif kind == "multiple_choice":
        spec.min_items, spec.max_items = field.min_selected, field.max_selected
    elif kind == "phone":
        spec.international = field.allow_foreign
    elif kind == "ranked_choice":
        spec.source = field.register
        spec.min_items, spec.max_items = field.min_choices, field.max_choices
    elif kind == "file":
        spec.accept = list(field.accept)
        spec.max_size_mb = field.max_size_mb
        spec.max_items = field.max_files
    elif kind == "property":
        spec.municipalities = list(field.municipalities or [])
    elif kind == "info":
        spec.text = _text(field.text)
        spec.variant = field.variant
        spec.required = False
    elif kind == "group":
        spec.children = [spec_for(inner) for inner in field.fields]
        spec.min_items, spec.max_items = field.min_items, field.max_items
        spec.item_label = _text(getattr(field, "item_label", None))
    if getattr(field, "options_from", None) is not None:
        spec.source = str(field.options_from)
    if getattr(field, "required_if", None):
        spec.required = False  # decided per request by the rules
    return spec
