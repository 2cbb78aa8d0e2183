"""The path through a definition: which steps show, in what order, and what is missing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from iktipet.applications.engine.form import (
    GROUP,
    StepForm,
    alike_to_rules,
    list_valued,
    step_specs,
)
from iktipet.applications.fields import Context, field_type
from iktipet.catalog import plugins
from iktipet.catalog.rules import Evaluator
from iktipet.catalog.schema import FormStep, InfoField


def form_steps(definition: Any) -> list[FormStep]:
    return [step for step in definition.steps if isinstance(step, FormStep)]


def visible_form_steps(definition: Any, evaluator: Evaluator) -> list[FormStep]:
    return [step for step in form_steps(definition) if evaluator.is_visible(step)]


def is_plugin_step(step: Any) -> bool:
    """A step another app renders (``kind: booking``), whose plugin is registered."""
    return not isinstance(step, FormStep) and plugins.is_available(step.kind)


def visible_steps(definition: Any, evaluator: Evaluator) -> list[Any]:
    """The visible steps in order: form steps and the steps of registered plugins."""
    return [
        step
        for step in definition.steps
        if (isinstance(step, FormStep) or is_plugin_step(step)) and evaluator.is_visible(step)
    ]


def plugin_steps(definition: Any, evaluator: Evaluator) -> list[Any]:
    return [step for step in visible_steps(definition, evaluator) if is_plugin_step(step)]


@dataclass(frozen=True)
class Journey:
    """The steps the applicant goes through for one set of answers: the rules evaluated and
    the visible steps worked out once per request, then asked by the view and the service.
    """

    definition: Any
    evaluator: Evaluator
    steps: tuple[Any, ...]  # FormStep, or a step a plugin renders

    @classmethod
    def of(cls, definition: Any, evaluator: Evaluator) -> Journey:
        return cls(definition, evaluator, tuple(visible_steps(definition, evaluator)))

    @classmethod
    def for_answers(cls, definition: Any, answers: Mapping[str, Any]) -> Journey:
        return cls.of(definition, Evaluator(definition, answers))

    @property
    def ids(self) -> list[str]:
        return [step.id for step in self.steps]

    @property
    def first(self) -> Any:
        return self.steps[0] if self.steps else None

    @property
    def last(self) -> Any:
        return self.steps[-1] if self.steps else None

    def shows(self, step: Any) -> bool:
        return step in self.steps

    def after(self, step_id: str) -> Any:
        """The next visible step (the first one if ``step_id`` is not shown)."""
        ids = self.ids
        if step_id not in ids:
            return self.first
        index = ids.index(step_id)
        return self.steps[index + 1] if index + 1 < len(self.steps) else None

    def before(self, step_id: str) -> Any:
        ids = self.ids
        if step_id not in ids:
            return None
        index = ids.index(step_id)
        return self.steps[index - 1] if index > 0 else None

    def progress(self, step_id: str) -> dict[str, int]:
        """``number`` of ``total``, for "Steg 2 av 5"."""
        ids = self.ids
        return {"number": ids.index(step_id) + 1 if step_id in ids else 1, "total": len(ids)}

    def is_last(self, step_id: str) -> bool:
        return self.last is not None and self.last.id == step_id


@dataclass
class Checked:
    """The whole draft checked step by step, as before a submit."""

    answers: dict[str, Any]
    evaluator: Evaluator
    incomplete: list[Any] = field(default_factory=list)
    stop: Any = None
    stop_step: FormStep | None = None
    warnings: list[str] = field(default_factory=list)
    #: A plugin step's reason for being incomplete (a lapsed hold), by step id.
    problems: dict[str, str] = field(default_factory=dict)
    #: ``evaluator`` when it reads ``answers`` alike (no hidden answer was dropped), for
    #: :func:`summary_sections`; None when the rules must be evaluated for them again.
    answers_evaluator: Evaluator | None = None


def check_all(definition: Any, answers: Mapping[str, Any], ctx: Context) -> Checked:
    """Every visible step's stored answers through the same checks as a POST of that step.

    The result's ``answers`` hold only what visible fields answer: hidden ones are dropped.
    """
    current = dict(answers)
    cleaned: dict[str, tuple[StepForm, dict[str, Any]]] = {}
    evaluator = None
    for step in form_steps(definition):
        form = StepForm(definition, step, ctx)
        form.load(current)
        cleaned[step.id] = (form, current)
        current = form.clean(current)
        evaluator = form.evaluator  # clean() built it for the answers it returns
    if evaluator is None:
        evaluator = Evaluator(definition, current)
    result = Checked(answers={}, evaluator=evaluator)
    list_ids = list_valued(definition)
    for step in visible_form_steps(definition, evaluator):
        form, before = cleaned[step.id]
        if not _same_for_rules(form, before, current, list_ids):
            form = StepForm(definition, step, ctx)
            form.load(current)
            form.clean(current)
        if not form.check(require=True):
            result.incomplete.append(step)
        elif form.stop is not None and result.stop is None:
            result.stop, result.stop_step = form.stop, step
        result.warnings.extend(form.warnings)
    result.answers = kept_answers(definition, evaluator, current)
    if alike_to_rules(result.answers, current, list_ids):
        result.answers_evaluator = evaluator
    return result


def _same_for_rules(
    form: StepForm, before: Mapping[str, Any], after: Mapping[str, Any], list_ids: set[str]
) -> bool:
    """Whether ``form``, loaded from and cleaned against ``before``, is what loading and
    cleaning it against ``after`` would give: its own answers the same, and every other
    one the same to the rules (an answer missing before reads as None, or as [] for a
    list-valued field, as :class:`Evaluator` reads it). A draft saved step by step is
    clean already, so the summary and the submit check each step with its first cleaning
    instead of a second one (issue 13: half of check_all's CPU)."""
    if any(before.get(spec.id) != after.get(spec.id) for spec in form.specs):
        return False
    return alike_to_rules(before, after, list_ids)


def kept_answers(
    definition: Any, evaluator: Evaluator, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """The answers of visible fields on visible steps; nothing else is kept at submit."""
    kept: dict[str, Any] = {}
    for step in visible_form_steps(definition, evaluator):
        for item in step.fields:
            if isinstance(item, InfoField) or not evaluator.is_visible(item):
                continue
            if item.id in answers:
                kept[item.id] = answers[item.id]
    for step in plugin_steps(definition, evaluator):
        key = plugins.answer_key(step)
        if key in answers:
            kept[key] = answers[key]
    return kept


def check_plugin_steps(checked: Checked, definition: Any, user: Any) -> None:
    """Ask each visible plugin step whether its answer still holds (it needs the person,
    which the form checks do not): an incomplete one is listed with its reason."""
    for step in plugin_steps(definition, checked.evaluator):
        plugin = plugins.plugin_for(step.kind)
        assert plugin is not None
        problem = plugin.problem(step, checked.answers.get(plugins.answer_key(step)), user=user)
        if problem:
            checked.problems[step.id] = problem
            checked.incomplete.append(step)
    order = [step.id for step in definition.steps]
    checked.incomplete.sort(key=lambda step: order.index(step.id))


def summary_sections(
    definition: Any,
    answers: Mapping[str, Any],
    ctx: Context,
    *,
    user: Any = None,
    evaluator: Evaluator | None = None,
) -> list[dict[str, Any]]:
    """Per visible step: its title and a label/value row per answered visible field (a
    plugin step's rows come from its plugin, for ``user``). ``evaluator``: one built for
    answers the rules read alike to these (``Checked.answers_evaluator``), if any."""
    if evaluator is None:
        evaluator = Evaluator(definition, answers)
    sections = []
    for step in visible_steps(definition, evaluator):
        if is_plugin_step(step):
            plugin = plugins.plugin_for(step.kind)
            assert plugin is not None
            answer = answers.get(plugins.answer_key(step))
            rows = plugin.summary_rows(step, answer, user=user) if user is not None else []
            sections.append({"step_id": step.id, "title": step.title.get(), "rows": rows})
            continue
        rows = []
        for spec, schema in zip(step_specs(step, ctx), step.fields, strict=True):
            if isinstance(schema, InfoField) or not evaluator.is_visible(schema):
                continue
            value = answers.get(spec.id)
            if spec.type == GROUP:
                text = _group_text(spec, value, ctx)
            elif spec.type == "file":
                text = _files_text(value, ctx)
            else:
                empty = value is None or value == [] or value == ""
                text = "" if empty else field_type(spec.type).display(spec, value)
            row = {"field_id": spec.id, "label": spec.label, "value": text}
            if spec.type == GROUP and value:
                row["table"] = _group_table(spec, value, ctx)  # shown as a table
            rows.append(row)
        sections.append({"step_id": step.id, "title": step.title.get(), "rows": rows})
    return sections


def _files_text(value: Any, ctx: Context) -> str:
    names = [ctx.attachments[item].original_name for item in value or [] if item in ctx.attachments]
    return "\n".join(names)


def _group_table(spec: Any, value: Any, ctx: Context) -> dict[str, Any]:
    """A repeating group's rows for a table: a column per child field, a row per item
    (kept in the frozen summary, so a receipt shows the table the person saw)."""
    columns = [child for child in spec.children if field_type(child.type).has_value]
    rows = []
    for item in value or []:
        if not isinstance(item, dict):
            continue
        cells = []
        for child in columns:
            child_value = item.get(child.id)
            if child_value in (None, "", []):
                cells.append("")
            elif child.type == "file":
                cells.append(_files_text(child_value, ctx))
            else:
                cells.append(field_type(child.type).display(child, child_value))
        rows.append(cells)
    return {"caption": spec.label, "headers": [child.label for child in columns], "rows": rows}


def _group_text(spec: Any, value: Any, ctx: Context) -> str:
    lines = []
    for index, item in enumerate(value or [], start=1):
        if not isinstance(item, dict):
            continue
        parts = []
        for child in spec.children:
            child_value = item.get(child.id)
            if child_value in (None, "", []):
                continue
            if child.type == "file":
                shown = _files_text(child_value, ctx)
            else:
                shown = field_type(child.type).display(child, child_value)
            parts.append(f"{child.label}: {shown}")
        label = spec.item_label or ""
        lines.append(f"{label} {index}: " + "; ".join(parts) if label else "; ".join(parts))
    return "\n".join(lines)
