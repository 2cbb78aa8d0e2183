"""Checks a definition needs beyond its schema: unique ids, and every expression, text
placeholder and reference pointing at something that exists. Each problem has a path."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import Resolver404, resolve

from iktipet.catalog.rules import CONTEXT_NAMES, ITEM_NAME, RESERVED_NAMES, compile_expression
from iktipet.catalog.rules.evaluator import PLACEHOLDER
from iktipet.catalog.schema import FormService, FormStep, GroupField, InfoField, LinkService, Text
from iktipet.catalog.schema.definition import BookingStep

_PARAM_REF = re.compile(r"\bparams\.([A-Za-z_]\w*)")
_ITEM_REF = re.compile(r"\bitem\.([A-Za-z_]\w*)")
# Field types whose answer identifies a register record that prefill can start from.
_RECORD_FIELDS = ("property", "person", "organisasjonsnummer")


@dataclass(frozen=True)
class Problem:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


def _duplicates(pairs: Iterable[tuple[str, str]], what: str) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for path, ident in pairs:
        if ident in seen:
            yield Problem(path, f"duplicate {what} id '{ident}' (first at {seen[ident]})")
        else:
            seen[ident] = path


class _Checker:
    def __init__(self, definition: FormService) -> None:
        self.d = definition
        self.problems: list[Problem] = []
        self.field_ids = {
            f.id for _s, f in definition.iter_fields() if not isinstance(f, InfoField)
        }
        self.field_types = {f.id: f.type for _s, f in definition.iter_fields()}
        self.computed_ids = [c.id for c in definition.computed]

    def add(self, path: str, reason: str) -> None:
        self.problems.append(Problem(path, reason))

    def run(self) -> list[Problem]:
        self.check_ids()
        for index, computed in enumerate(self.d.computed):
            path = f"computed[{index}].expression"
            self.expression(path, computed.expression, computed_before=self.computed_ids[:index])
        if self.d.fee:
            self.fee()
        for s_index, step in enumerate(self.d.steps):
            self.step(f"steps[{s_index}]", step)
        return self.problems

    def fee(self) -> None:
        fee = self.d.fee
        assert fee is not None
        if fee.expression:
            self.expression("fee.expression", fee.expression)
        for index, line in enumerate(fee.lines):
            self.expression(f"fee.lines[{index}].amount", line.amount)
            self.texts(f"fee.lines[{index}]", "text", line.text)
        if fee.when == "decision" and not fee.charged:
            self.add("fee.when", "a fee claimed after the decision needs an expression or lines")

    def check_ids(self) -> None:
        steps = [(f"steps[{i}].id", s.id) for i, s in enumerate(self.d.steps)]
        self.problems.extend(_duplicates(steps, "step"))
        names: list[tuple[str, str]] = []
        for s_index, step in enumerate(self.d.steps):
            if isinstance(step, FormStep):
                for f_index, field in enumerate(step.fields):
                    names.append((f"steps[{s_index}].fields[{f_index}].id", field.id))
                    if isinstance(field, GroupField):
                        inner = [
                            (f"steps[{s_index}].fields[{f_index}].fields[{i}].id", f.id)
                            for i, f in enumerate(field.fields)
                        ]
                        self.problems.extend(_duplicates(inner, "field"))
                rules = [
                    (f"steps[{s_index}].validations[{i}].id", v.id)
                    for i, v in enumerate(step.validations)
                ]
                rules += [
                    (f"steps[{s_index}].stop_if[{i}].id", r.id) for i, r in enumerate(step.stop_if)
                ]
                self.problems.extend(_duplicates(rules, "rule"))
        names += [(f"computed[{i}].id", c) for i, c in enumerate(self.computed_ids)]
        self.problems.extend(_duplicates(names, "field or computed"))
        for path, ident in names:
            if ident in RESERVED_NAMES:
                self.add(path, f"'{ident}' is reserved for rules; choose another id")

    def step(self, path: str, step: FormStep | BookingStep) -> None:
        if step.visible_if:
            self.expression(f"{path}.visible_if", step.visible_if)
        if isinstance(step, BookingStep):
            from iktipet.catalog.plugins import check_step

            for reason in check_step(step):
                self.add(f"{path}.booking", reason)
            return
        self.texts(path, "intro", step.intro)
        step_fields = {f.id for f in step.fields}
        for f_index, field in enumerate(step.fields):
            self.field(f"{path}.fields[{f_index}]", field)
        for v_index, rule in enumerate(step.validations):
            v_path = f"{path}.validations[{v_index}]"
            self.expression(f"{v_path}.check", rule.check)
            self.texts(v_path, "message", rule.message)
            for i, ref in enumerate(rule.fields):
                if ref not in step_fields:
                    self.add(
                        f"{v_path}.fields[{i}]", f"unknown field '{ref}' (not in step '{step.id}')"
                    )
        for r_index, stop in enumerate(step.stop_if):
            r_path = f"{path}.stop_if[{r_index}]"
            self.expression(f"{r_path}.when", stop.when)
            self.texts(r_path, "title", stop.title)
            self.texts(r_path, "message", stop.message)

    def field(self, path: str, field: Any, group: GroupField | None = None) -> None:
        item_keys = {f.id for f in group.fields} if group else None
        for key, expression in field.expressions().items():
            self.expression(f"{path}.{key}", expression, item_keys=item_keys)
        if isinstance(field, InfoField):
            self.texts(path, "text", field.text)
            return
        for key in ("prefill", "options_from"):
            source = getattr(field, key, None)
            if source is None or source.from_field is None:
                continue
            if self.field_types.get(source.from_field) not in _RECORD_FIELDS:
                self.add(
                    f"{path}.{key}.from",
                    f"'{source.from_field}' is not a field of type {', '.join(_RECORD_FIELDS)}",
                )
        if isinstance(field, GroupField):
            for index, inner in enumerate(field.fields):
                self.field(f"{path}.fields[{index}]", inner, group=field)

    def expression(
        self,
        path: str,
        expression: str,
        *,
        item_keys: set[str] | None = None,
        computed_before: list[str] | None = None,
    ) -> None:
        compiled = compile_expression(expression)  # the schema already proved it compiles
        computed = set(self.computed_ids if computed_before is None else computed_before)
        known = self.field_ids | computed | CONTEXT_NAMES
        if item_keys is not None:
            known = known | {ITEM_NAME}
        for name in sorted(compiled.names - known):
            if computed_before is not None and name in self.computed_ids:
                self.add(path, f"'{name}' is computed after this value; move it earlier")
            elif name == ITEM_NAME:
                self.add(path, "'item' is only known inside a repeating group")
            else:
                self.add(
                    path, f"unknown name '{name}': not a field, computed value, today or params"
                )
        for name in sorted(compiled.unknown_functions):
            self.add(path, f"unknown function '{name}'")
        for key in sorted(set(_PARAM_REF.findall(expression)) - set(self.d.params)):
            self.add(path, f"unknown parameter 'params.{key}'")
        if item_keys is not None:
            for key in sorted(set(_ITEM_REF.findall(expression)) - item_keys):
                self.add(path, f"unknown group field 'item.{key}'")

    def texts(self, path: str, key: str, text: Text | None) -> None:
        if text is None:
            return
        for language in ("nb", "en"):
            for name in PLACEHOLDER.findall(getattr(text, language)):
                if name not in self.computed_ids:
                    self.add(f"{path}.{key}.{language}", f"unknown placeholder '{{{name}}}'")


#: Checks that apps above the catalogue add (the cases app: the workflow must exist), each
#: ``(definition) -> [(path, reason), …]``. Registered at import, so the catalogue imports
#: none of them.
extra_checks: list[Callable[[Any], list[tuple[str, str]]]] = []


def check_definition(definition: Any, agencies: set[str] | None = None) -> list[Problem]:
    """Problems in a parsed definition. ``agencies``: known agency slugs (None: not checked)."""
    problems: list[Problem] = []
    for check in extra_checks:
        problems.extend(Problem(path, reason) for path, reason in check(definition))
    if agencies is not None and definition.agency is not None and definition.agency not in agencies:
        known = ", ".join(sorted(agencies)) or "none"
        problems.append(Problem("agency", f"unknown agency '{definition.agency}' (known: {known})"))
    if isinstance(definition, FormService):
        problems.extend(_Checker(definition).run())
    if isinstance(definition, LinkService) and not definition.external:
        problems.extend(_portal_page(str(definition.url)))
    return problems


def _portal_page(path: str) -> Iterator[Problem]:
    # A link to a page of ours that does not exist would be a dead end in the catalogue.
    try:
        resolve(path)
    except Resolver404:
        yield Problem("url", f"no page of this portal at '{path}'")
