"""One step of a definition as a form: read input, check it against the fields and the
rules, and describe it for the template (with errors linked to their inputs).

Pure: no database writes. The service functions decide what to keep.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext as _

from iktipet.applications.engine.names import count_input, parse_row_input, row_input
from iktipet.applications.engine.specs import specs_for
from iktipet.applications.fields import Context, FieldError, FieldSpec, FieldType, field_type
from iktipet.applications.fields.base import first
from iktipet.catalog.rules import Evaluator
from iktipet.catalog.schema import LIST_VALUED
from iktipet.core.forms import disallowed_text_error
from iktipet.documents.uploads import allowed_mime_types, format_size, max_file_bytes, type_labels

GROUP = "group"


@dataclass
class ErrorItem:
    """A message in the error summary, linking to the input it belongs to."""

    anchor: str
    message: str


@dataclass
class BoundField:
    """A field on the page: its spec, what to show in it, and its error."""

    spec: FieldSpec
    name: str
    raw: Any
    visible: bool = True
    required: bool = False
    readonly: bool = False
    error: str = ""
    error_anchor: str = ""
    options: list[Any] = field(default_factory=list)
    attachments: list[Any] = field(default_factory=list)
    rows: list[list[BoundField]] = field(default_factory=list)
    search_enabled: bool = False
    search_results: list[Any] | None = None
    query: str = ""

    @property
    def type(self) -> FieldType | None:
        return None if self.spec.type == GROUP else field_type(self.spec.type)

    @property
    def template(self) -> str:
        """The field's template; "" for a type written in Python (``fields.html``)."""
        if self.spec.type == GROUP:
            return "applications/fields/group.html"
        return field_type(self.spec.type).template

    @property
    def html_id(self) -> str:
        return f"f-{self.name}"

    @property
    def anchor(self) -> str:
        """Where the error summary's link for this field points."""
        suffix = self.error_anchor or (self.type.anchor_for(self.spec) if self.type else "")
        return f"{self.html_id}{suffix}"

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def hint(self) -> str:
        return self.spec.hint

    @property
    def text(self) -> str:
        return self.spec.text

    @property
    def unit(self) -> str:
        return self.spec.unit

    @property
    def describedby(self) -> str:
        ids = []
        if self.spec.hint or self.spec.type == "file":
            ids.append(f"{self.html_id}-hint")
        if self.error:
            ids.append(f"{self.html_id}-error")
        return " ".join(ids)

    @property
    def autocomplete(self) -> str:
        return {"email": "email", "phone": "tel"}.get(self.spec.type, "")

    # --- composite fields ------------------------------------------------------------------

    @property
    def parts(self) -> list[tuple[str, str, str]]:
        raw = self.raw if isinstance(self.raw, dict) else {}
        labels = {
            "kommunenummer": _("Kommunenr."),
            "gnr": _("Gårdsnr."),
            "bnr": _("Bruksnr."),
            "fnr": _("Festenr. (valgfritt)"),
            "snr": _("Seksjonsnr. (valgfritt)"),
        }
        return [(key, label, str(raw.get(key, ""))) for key, label in labels.items()]

    @property
    def slots(self) -> list[dict[str, Any]]:
        raw = self.raw if isinstance(self.raw, list) else []
        count = self.spec.max_items or 1
        values = [*raw, *[""] * count][:count]
        return [
            {"rank": rank, "value": value, "anchor": f"-{rank}"}
            for rank, value in enumerate(values, start=1)
        ]

    @property
    def accept(self) -> str:
        return ",".join(allowed_mime_types(self.spec.accept))

    @property
    def type_labels(self) -> str:
        return type_labels(allowed_mime_types(self.spec.accept))

    @property
    def max_size(self) -> str:
        return format_size(self.max_size_bytes or max_file_bytes())

    @property
    def max_size_bytes(self) -> int | None:
        return self.spec.max_size_mb * 1_000_000 if self.spec.max_size_mb else None

    @property
    def can_add_file(self) -> bool:
        return len(self.attachments) < (self.spec.max_items or 1)

    @property
    def item_label(self) -> str:
        return self.spec.item_label or _("rad")

    @property
    def count_name(self) -> str:
        """The hidden input that posts how many rows the group had."""
        return count_input(self.name)

    @property
    def can_add(self) -> bool:
        return len(self.rows) < (self.spec.max_items or 20)

    @property
    def can_remove(self) -> bool:
        return len(self.rows) > (self.spec.min_items or 0)


def _empty_value(spec: FieldSpec) -> Any:
    return [] if spec.type in LIST_VALUED else None


def group_count(spec: FieldSpec, data: Mapping[str, Any], name: str) -> int:
    """How many rows the page had (a hidden input), kept within the definition's bounds."""
    text = first(data, count_input(name))
    count = int(text) if text.isascii() and text.isdigit() and len(text) < 4 else 0
    return max(0, min(count, spec.max_items or 20))


def step_specs(step: Any, ctx: Context) -> list[FieldSpec]:
    """The specs of the step's fields, a register's choices (``source``) from ``ctx``."""
    return [
        replace(spec, options=list(ctx.choices.get(spec.id, []))) if spec.source else spec
        for spec in specs_for(step.fields)
    ]


class StepForm:
    """The fields of one form step, read from stored answers or from a POST."""

    def __init__(self, definition: Any, step: Any, ctx: Context) -> None:
        self.definition = definition
        self.step = step
        self.ctx = ctx
        self.schema_fields = {item.id: item for item in step.fields}
        self.specs: list[FieldSpec] = step_specs(step, ctx)
        self.raw: dict[str, Any] = {}
        self.values: dict[str, Any] = {}
        self.field_errors: dict[str, FieldError] = {}  # by input name
        self.errors: list[ErrorItem] = []
        self.warnings: list[str] = []
        self.warning_ids: list[str] = []  # the validations behind ``warnings``
        self.evaluator: Evaluator | None = None
        self.stop: Any = None
        self.readonly: set[str] = set()
        # An address search on this page: {"name", "query", "results"} (results None: picked).
        self.search: dict[str, Any] | None = None

    # --- reading ---------------------------------------------------------------------------

    def load(self, answers: Mapping[str, Any]) -> None:
        """Show stored answers (``clean`` next, which evaluates the rules for them)."""
        for spec in self.specs:
            self.raw[spec.id] = self._stored_raw(spec, answers.get(spec.id))

    def _stored_raw(self, spec: FieldSpec, value: Any) -> Any:
        if spec.type != GROUP:
            return field_type(spec.type).raw_from_value(spec, value)
        items = value if isinstance(value, list) else []
        rows = [
            {
                child.id: field_type(child.type).raw_from_value(
                    child, item.get(child.id) if isinstance(item, dict) else None
                )
                for child in spec.children
            }
            for item in items
        ]
        return rows or [self._blank_row(spec) for _ in range(spec.min_items or 0)]

    def read(
        self, data: Mapping[str, Any], answers: Mapping[str, Any], shown: set[str] | None = None
    ) -> None:
        """Take what was posted; files stay as the draft holds them.

        A field the page did not show (``shown``) keeps its stored answer: a browser cannot
        have posted it, and a prefilled value must survive until the field is shown.
        """
        for spec in self.specs:
            if spec.id in self.readonly or (shown is not None and spec.id not in shown):
                self.raw[spec.id] = self._stored_raw(spec, answers.get(spec.id))
            elif spec.type == GROUP:
                stored = answers.get(spec.id) if isinstance(answers.get(spec.id), list) else []
                rows = []
                for index in range(group_count(spec, data, spec.id)):
                    row = {}
                    for child in spec.children:
                        kind = field_type(child.type)
                        name = row_input(spec.id, index, child.id)
                        if child.type == "file":
                            item = stored[index] if index < len(stored) else {}
                            kept = item.get(child.id) if isinstance(item, dict) else None
                            row[child.id] = kind.raw_from_value(child, kept)
                        else:
                            row[child.id] = kind.raw_from_post(child, data, name)
                    rows.append(row)
                self.raw[spec.id] = rows
            elif spec.type == "file":
                self.raw[spec.id] = field_type("file").raw_from_value(spec, answers.get(spec.id))
            else:
                self.raw[spec.id] = field_type(spec.type).raw_from_post(spec, data, spec.id)

    def _blank_row(self, spec: FieldSpec) -> dict[str, Any]:
        return {
            child.id: field_type(child.type).raw_from_value(child, None) for child in spec.children
        }

    def add_row(self, field_id: str) -> None:
        spec = self.spec(field_id)
        rows = self.raw.get(field_id)
        if (
            spec is not None
            and spec.type == GROUP
            and isinstance(rows, list)
            and len(rows) < (spec.max_items or 20)
        ):
            rows.append(self._blank_row(spec))

    def remove_row(self, field_id: str, index: int) -> list[str]:
        """Remove a row; returns the attachment ids it held (for the caller to delete)."""
        spec = self.spec(field_id)
        rows = self.raw.get(field_id)
        if spec is None or spec.type != GROUP or not isinstance(rows, list):
            return []
        if not 0 <= index < len(rows) or len(rows) <= (spec.min_items or 0):
            return []
        row = rows.pop(index)
        return [
            str(item)
            for child in spec.children
            if child.type == "file"
            for item in row.get(child.id) or []
        ]

    def spec(self, field_id: str) -> FieldSpec | None:
        return next((spec for spec in self.specs if spec.id == field_id), None)

    # --- checking --------------------------------------------------------------------------

    def _clean_one(self, spec: FieldSpec, raw: Any, name: str) -> Any:
        kind = field_type(spec.type)
        if not kind.has_value:
            return _empty_value(spec)
        # Before the emptiness test: str.strip() takes "\x1f" for whitespace.
        refused = disallowed_text_error(raw)
        if refused:
            self.field_errors[name] = FieldError(refused, "control_character")
            return _empty_value(spec)
        if kind.is_empty(raw):
            return _empty_value(spec)
        try:
            return kind.clean(spec, raw, self.ctx)
        except FieldError as exc:
            self.field_errors[name] = exc
            return _empty_value(spec)

    def clean(
        self,
        answers: Mapping[str, Any],
        known: tuple[Mapping[str, Any], Evaluator] | None = None,
    ) -> dict[str, Any]:
        """Check every field; return the answers with this step's values merged in.

        Values of fields the rules hide are dropped, so a tampered POST for a hidden field
        changes nothing. ``known``: answers and the evaluator already built for them (the
        view's journey); used when the merged answers are those, not built again.
        """
        self.field_errors = {}
        for spec in self.specs:
            raw = self.raw.get(spec.id)
            if spec.type == GROUP:
                rows = raw if isinstance(raw, list) else []
                self.values[spec.id] = [
                    {
                        child.id: self._clean_one(
                            child, row.get(child.id), row_input(spec.id, index, child.id)
                        )
                        for child in spec.children
                        if field_type(child.type).has_value
                    }
                    for index, row in enumerate(rows)
                ]
            elif field_type(spec.type).has_value:
                self.values[spec.id] = self._clean_one(spec, raw, spec.id)
        merged = dict(answers)
        merged.update(self.values)
        if known is not None and alike_to_rules(merged, known[0], list_valued(self.definition)):
            self.evaluator = known[1]
        else:
            self.evaluator = Evaluator(self.definition, merged)
        read = dict(merged)
        for spec in self.specs:
            if spec.id in self.values and not self.evaluator.is_visible(
                self.schema_fields[spec.id]
            ):
                merged[spec.id] = _empty_value(spec)
            elif spec.type == GROUP:
                merged[spec.id] = self._visible_rows(spec, merged.get(spec.id) or [])
        if merged != read:  # a hidden value was dropped: the rules see the answers kept
            self.evaluator = Evaluator(self.definition, merged)
        return merged

    def _visible_rows(self, spec: FieldSpec, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        group = self.schema_fields[spec.id]
        items = self.evaluator.answers.get(spec.id) or [] if self.evaluator else []
        kept = []
        for index, row in enumerate(rows):
            item = items[index] if index < len(items) else {}
            kept.append(
                {
                    child.id: value if self.evaluator.is_visible(child, item) else None
                    for child in group.fields
                    if child.id in row
                    for value in [row[child.id]]
                }
                if self.evaluator
                else row
            )
        return kept

    def check(self, *, require: bool = True, shown: set[str] | None = None) -> bool:
        """Collect the errors to show; True when the step may be left forwards.

        ``require``: report missing answers (not when only saving). ``shown``: fields the
        page showed; a field the rules just revealed gets no error the first time.
        """
        evaluator = self.evaluator
        assert evaluator is not None, "clean() first"
        self.errors = []
        blocking = False
        for spec in self.specs:
            schema = self.schema_fields[spec.id]
            if not evaluator.is_visible(schema):
                continue
            new = shown is not None and spec.id not in shown
            if not field_type_has_value(spec):
                # Information an answer just revealed (a right, a fee, a warning) is read
                # before going on, as a new question is: without JavaScript the page
                # could not show it earlier.
                blocking |= new and require
                continue
            if new and require:
                blocking = True  # show the new question before going on
            if spec.type == GROUP:
                blocking |= self._check_group(spec, require=require and not new)
                continue
            error = self.field_errors.get(spec.id)
            if (
                error is None
                and require
                and not new
                and evaluator.is_required(schema)
                and field_type(spec.type).is_empty(self.raw.get(spec.id))
            ):
                error = FieldError(field_type(spec.type).required_message(spec), "required")
            if error is not None:
                self.add_error(spec.id, error)
                blocking = True
        if require and not blocking:
            for validation in evaluator.failed_validations(self.step):
                message = evaluator.text(validation.message)  # {placeholders} filled in
                if validation.severity == "warning":
                    self.warnings.append(message)
                    self.warning_ids.append(validation.id)
                    continue
                target = validation.fields[0] if validation.fields else ""
                self.errors.append(ErrorItem(self._anchor_for(target), message))
                if target and target not in self.field_errors:
                    self.field_errors[target] = FieldError(message, f"rule:{validation.id}")
                blocking = True
            if not blocking:
                self.stop = evaluator.stop_rule(self.step)
        elif require and self.errors:
            self._rule_errors_beside_field_errors()
        return not blocking

    def _rule_errors_beside_field_errors(self) -> None:
        """With field errors on the page, also show the step's rule errors that concern
        only answers given without error: the person fixes everything in one go. A rule
        about a field with an error, or one left empty, waits (its answer is not known)."""
        evaluator = self.evaluator
        assert evaluator is not None
        for validation in evaluator.failed_validations(self.step):
            fields = list(validation.fields or [])
            if validation.severity == "warning" or not fields:
                continue
            if any(
                name in self.field_errors or evaluator.answers.get(name) in (None, "", [])
                for name in fields
            ):
                continue
            message = evaluator.text(validation.message)
            self.errors.append(ErrorItem(self._anchor_for(fields[0]), message))
            self.field_errors[fields[0]] = FieldError(message, f"rule:{validation.id}")

    def _check_group(self, spec: FieldSpec, *, require: bool) -> bool:
        evaluator = self.evaluator
        assert evaluator is not None
        rows = self.raw.get(spec.id) or []
        items = evaluator.answers.get(spec.id) or []
        blocking = False
        for index, row in enumerate(rows):
            item = items[index] if index < len(items) else {}
            group = self.schema_fields[spec.id]
            for child_schema, child in zip(group.fields, spec.children, strict=True):
                if not field_type_has_value(child) or not evaluator.is_visible(child_schema, item):
                    continue
                name = row_input(spec.id, index, child.id)
                error = self.field_errors.get(name)
                if (
                    error is None
                    and require
                    and evaluator.is_required(child_schema, item)
                    and field_type(child.type).is_empty(row.get(child.id))
                ):
                    error = FieldError(field_type(child.type).required_message(child), "required")
                if error is not None:
                    self.add_error(name, error)
                    blocking = True
        if require:
            count_error = None
            if spec.min_items and len(rows) < spec.min_items:
                count_error = _("Legg til minst %(count)d i «%(label)s».") % {
                    "count": spec.min_items,
                    "label": spec.label,
                }
            elif not rows and evaluator.is_required(self.schema_fields[spec.id]):
                count_error = _("Legg til minst én i «%(label)s».") % {"label": spec.label}
            if count_error:
                self.add_error(spec.id, FieldError(count_error, "too_few"))
                blocking = True
        return blocking

    def add_error(self, name: str, error: FieldError) -> None:
        """Show ``error`` on the input ``name`` and in the error summary."""
        self.field_errors[name] = error
        self.errors.append(
            ErrorItem(f"f-{name}{error.anchor or self._suffix(name)}", error.message)
        )

    def _suffix(self, name: str) -> str:
        spec = self.spec_for_input(name)
        if spec is None or spec.type == GROUP:
            return ""
        return field_type(spec.type).anchor_for(spec)

    def _anchor_for(self, field_id: str) -> str:
        return f"f-{field_id}{self._suffix(field_id)}" if field_id else "main"

    def spec_for_input(self, name: str) -> FieldSpec | None:
        """The spec of the field posted as ``name`` (a group row's child, or a field)."""
        row = parse_row_input(name)
        if row is None:
            return self.spec(name)
        group = self.spec(row.group_id)
        if group is None:
            return None
        return next((child for child in group.children if child.id == row.child_id), None)

    def raw_for_input(self, name: str) -> Any:
        """What the input ``name`` holds now (None for a row the page does not have)."""
        row = parse_row_input(name)
        if row is None:
            return self.raw.get(name)
        rows = self.raw.get(row.group_id) or []
        return rows[row.index].get(row.child_id) if row.index < len(rows) else None

    def set_raw_for_input(self, name: str, raw: Any) -> None:
        """Put ``raw`` in the input ``name`` (nothing for a row the page does not have)."""
        row = parse_row_input(name)
        if row is None:
            self.raw[name] = raw
            return
        rows = self.raw.get(row.group_id) or []
        if row.index < len(rows):
            rows[row.index][row.child_id] = raw

    # --- showing ---------------------------------------------------------------------------

    def bound_fields(self, *, attachments: Mapping[str, Any] | None = None) -> list[BoundField]:
        evaluator = self.evaluator
        attachments = attachments or {}
        result = []
        for spec in self.specs:
            schema = self.schema_fields[spec.id]
            visible = evaluator.is_visible(schema) if evaluator else True
            bound = self._bind(spec, spec.id, self.raw.get(spec.id), attachments)
            bound.visible = visible
            bound.required = bool(evaluator.is_required(schema)) if evaluator else spec.required
            bound.readonly = spec.id in self.readonly
            if spec.type == "info" and evaluator is not None:
                bound.spec = replace(spec, text=evaluator.text(schema.text))
            if spec.type == GROUP:
                items = evaluator.answers.get(spec.id) or [] if evaluator else []
                for index, row in enumerate(self.raw.get(spec.id) or []):
                    item = items[index] if index < len(items) else {}
                    children = []
                    for child_schema, child in zip(schema.fields, spec.children, strict=True):
                        name = row_input(spec.id, index, child.id)
                        child_bound = self._bind(child, name, row.get(child.id), attachments)
                        child_bound.visible = (
                            evaluator.is_visible(child_schema, item) if evaluator else True
                        )
                        child_bound.required = (
                            bool(evaluator.is_required(child_schema, item))
                            if evaluator
                            else child.required
                        )
                        children.append(child_bound)
                    bound.rows.append(children)
            result.append(bound)
        return result

    def _bind(
        self, spec: FieldSpec, name: str, raw: Any, attachments: Mapping[str, Any]
    ) -> BoundField:
        error = self.field_errors.get(name)
        bound = BoundField(
            spec=spec,
            name=name,
            raw=raw,
            error=error.message if error else "",
            error_anchor=error.anchor if error else "",
            options=list(spec.options),
        )
        if spec.type == "file":
            bound.attachments = [attachments[i] for i in raw or [] if i in attachments]
        if spec.type == "address":
            bound.search_enabled = self.ctx.address_search is not None
            if isinstance(raw, dict):
                bound.query = str(raw.get("query", ""))
            if self.search and self.search.get("name") == name:
                bound.search_results = self.search.get("results")
        return bound

    def shown_ids(self) -> list[str]:
        """Ids of the fields this page shows (posted back as ``_shown``)."""
        evaluator = self.evaluator
        return [
            spec.id
            for spec in self.specs
            if evaluator is None or evaluator.is_visible(self.schema_fields[spec.id])
        ]


def list_valued(definition: Any) -> set[str]:
    """The ids of the definition's list-valued fields."""
    return {item.id for _step, item in definition.iter_fields() if item.type in LIST_VALUED}


def alike_to_rules(before: Mapping[str, Any], after: Mapping[str, Any], list_ids: set[str]) -> bool:
    """Whether an :class:`Evaluator` reads the two sets of answers alike: each answer the
    same, or missing in one and None (or [] for a list-valued field) in the other, as the
    evaluator reads a missing answer. It depends on nothing else but the day."""
    for key in before.keys() | after.keys():
        if key in before and key in after:
            if before[key] != after[key]:
                return False
            continue
        value = before[key] if key in before else after[key]
        if value is not None and not (value == [] and key in list_ids):
            return False
    return True


def field_type_has_value(spec: FieldSpec) -> bool:
    return spec.type == GROUP or field_type(spec.type).has_value
