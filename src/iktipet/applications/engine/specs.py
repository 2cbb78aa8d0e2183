"""Schema fields of the catalog → :class:`FieldSpec` in the current language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import get_language

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


#: Specs already built, by the schema field's identity and the language. Parsed definitions
#: are immutable and kept per process (``catalog.models.parsed_definition``), so a field's
#: spec is the same on every request; building one anew cost ~15 µs a field on every step
#: and summary (issue 13). The entry holds its field, so an id cannot be reused while cached.
_built: dict[tuple[int, str], tuple[Any, FieldSpec]] = {}
_BUILT_MAX = 4096


def spec_for(field: Any) -> FieldSpec:
    """The engine's view of one schema field (``field.type`` names the field type), in the
    active language. Shared between requests: :class:`FieldSpec` is frozen."""
    return _spec_in(field, get_language() or "")


def specs_for(fields: Iterable[Any]) -> list[FieldSpec]:
    """``spec_for`` of each field, the active language asked once."""
    language = get_language() or ""
    return [_spec_in(field, language) for field in fields]


def _spec_in(field: Any, language: str) -> FieldSpec:
    key = (id(field), language)
    found = _built.get(key)
    if found is not None and found[0] is field:
        return found[1]
    spec = _spec(field)
    if len(_built) >= _BUILT_MAX:  # definitions replaced many times over: start again
        _built.clear()
    _built[key] = (field, spec)
    return spec


def _spec(field: Any) -> FieldSpec:
    kind = field.type
    values: dict[str, Any] = {
        "id": field.id,
        "type": kind,
        "label": _text(getattr(field, "label", None)),
        "hint": _text(getattr(field, "hint", None)),
        "required": bool(getattr(field, "required", False)),
        "options": _options(field),
        "widget": getattr(field, "widget", "") or "",
        "visible_if": getattr(field, "visible_if", None) or "",
        "required_if": getattr(field, "required_if", None) or "",
        "prefill": str(getattr(field, "prefill", None) or ""),
    }
    if kind in ("text", "long_text"):
        values["max_length"] = field.max_length
        values["min_length"] = field.min_length
        values["pattern"] = getattr(field, "pattern", None) or ""
        values["pattern_message"] = _text(getattr(field, "pattern_message", None))
    elif kind in ("integer", "decimal", "money", "date"):
        values["min_value"], values["max_value"] = field.min, field.max
        values["unit"] = _text(getattr(field, "unit", None))
        values["decimals"] = getattr(field, "decimals", 2)
        values["min_message"] = _text(getattr(field, "min_message", None))
        values["max_message"] = _text(getattr(field, "max_message", None))
    elif kind == "multiple_choice":
        values["min_items"], values["max_items"] = field.min_selected, field.max_selected
    elif kind == "phone":
        values["international"] = field.allow_foreign
    elif kind == "ranked_choice":
        values["source"] = field.register
        values["min_items"], values["max_items"] = field.min_choices, field.max_choices
    elif kind == "file":
        values["accept"] = list(field.accept)
        values["max_size_mb"] = field.max_size_mb
        values["max_items"] = field.max_files
    elif kind == "property":
        values["municipalities"] = list(field.municipalities or [])
    elif kind == "info":
        values["text"] = _text(field.text)
        values["variant"] = field.variant
        values["required"] = False
    elif kind == "group":
        values["children"] = [spec_for(inner) for inner in field.fields]
        values["min_items"], values["max_items"] = field.min_items, field.max_items
        values["item_label"] = _text(getattr(field, "item_label", None))
    if getattr(field, "options_from", None) is not None:
        values["source"] = str(field.options_from)
    if getattr(field, "required_if", None):
        values["required"] = False  # decided per request by the rules
    return FieldSpec(**values)
