"""Rules of one definition applied to one set of answers: visibility, requirement,
validations, stop rules, computed values, texts and the fee."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils import formats, translation
from django.utils.translation import gettext

from iktipet.catalog.rules.engine import RuleError, Scope, compile_expression, oslo_today
from iktipet.catalog.schema import LIST_VALUED, FormStep, GroupField, InfoField
from iktipet.core.money import ore_from_kroner

if TYPE_CHECKING:
    from iktipet.catalog.models import ServiceVersion
    from iktipet.catalog.schema import FormService, StopRule, Text, Validation
    from iktipet.catalog.schema.definition import BookingStep

logger = logging.getLogger(__name__)
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


class FeeUnavailable(RuleError):
    """The fee cannot be computed (yet): answers it depends on are missing, or it is invalid."""


@dataclass(frozen=True)
class FeeLineValue:
    """One line of a computed fee: its text in the language asked for, its amount in øre."""

    text: str
    amount_ore: int


def kroner_to_ore(value: Any, expression: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FeeUnavailable(expression, f"the fee must be a number of kroner, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise FeeUnavailable(expression, f"the fee {value!r} is not a finite number")
    # Through str(): 1038.0000000000002 kr is 103 800 øre, not a binary-float artefact.
    ore = ore_from_kroner(str(value))
    if ore < 0:
        raise FeeUnavailable(expression, f"the fee {value!r} is negative")
    return ore


def _normalize(field: Any, value: Any) -> Any:
    """Answer as the form engine stores it (Python or JSON) → the type rules expect."""
    kind = field.type
    if value is None or value == "":
        return [] if kind in LIST_VALUED else None
    try:
        if kind == "date":
            if isinstance(value, datetime):
                return value.date()
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        if kind == "decimal":
            return None if isinstance(value, bool) else float(Decimal(str(value)))
        if kind in ("integer", "money"):
            return None if isinstance(value, bool) else int(value)
        if kind == "yes_no" or kind == "declaration":
            return value if isinstance(value, bool) else None
        if kind == "group":
            return [
                {
                    inner.id: _normalize(inner, (item or {}).get(inner.id))
                    for inner in _answered(field)
                }
                for item in value
                if isinstance(item, Mapping)
            ]
        if kind in LIST_VALUED:
            return list(value) if isinstance(value, list | tuple) else [value]
    except (ValueError, TypeError, InvalidOperation):
        return [] if kind in LIST_VALUED else None
    return value


def _answered(group: GroupField) -> list[Any]:
    return [f for f in group.fields if not isinstance(f, InfoField)]


def _empty(field: Any) -> Any:
    return [] if field.type in LIST_VALUED else None


def _incomplete(value: Any) -> bool:
    if value is None or value == []:
        return True
    if isinstance(value, Mapping):
        return any(_incomplete(v) for v in value.values())
    if isinstance(value, list):
        return any(_incomplete(v) for v in value)
    return False


class Evaluator:
    """All rules of ``definition`` for ``answers`` on ``today`` (the application date).

    Answers of hidden fields and steps count as unanswered. A rule that cannot be
    evaluated because an answer it reads is missing is "not applicable"; one that fails
    with every answer present is a definition bug: logged, and treated the same way.
    """

    def __init__(
        self, definition: FormService, answers: Mapping[str, Any], *, today: date | None = None
    ) -> None:
        self.definition = definition
        self.today = today or oslo_today()
        self.answers: dict[str, Any] = {
            field.id: _normalize(field, answers.get(field.id))
            for _step, field in definition.iter_fields()
            if not isinstance(field, InfoField)
        }
        self.computed: dict[str, Any] = {}
        self._item: Mapping[str, Any] | None = None
        self._scope = Scope(self._lookup)
        self._compute()
        self._drop_hidden()
        self._compute()

    # --- variables -------------------------------------------------------------------------

    def _lookup(self, name: str) -> Any:
        if name == "today":
            return self.today
        if name == "params":
            return self.definition.params
        if name == "item":
            return self._item
        if name in self.computed:
            return self.computed[name]
        return self.answers.get(name)

    def _evaluate(self, expression: str, item: Mapping[str, Any] | None = None) -> Any:
        if item is not self._item:
            self._item = item
            self._scope.forget("item")
        return self._scope.run(expression)

    def _compute(self) -> None:
        for computed in self.definition.computed:
            self.computed.pop(computed.id, None)
            self._scope.forget(computed.id)
        for computed in self.definition.computed:
            self.computed[computed.id] = self._lenient(computed.expression, None, kind=None)
            self._scope.forget(computed.id)

    def _drop_hidden(self) -> None:
        for step in self.definition.steps:
            step_shown = self.is_visible(step)
            if not isinstance(step, FormStep):
                continue
            for field in step.fields:
                if isinstance(field, InfoField):
                    continue
                if not step_shown or not self.is_visible(field):
                    self.answers[field.id] = _empty(field)
                    self._scope.forget(field.id)
                elif isinstance(field, GroupField):
                    items = [self._drop_hidden_in(field, i) for i in self.answers[field.id]]
                    self.answers[field.id] = items
                    self._scope.forget(field.id)

    def _drop_hidden_in(self, group: GroupField, item: dict[str, Any]) -> dict[str, Any]:
        return {
            inner.id: value if self.is_visible(inner, item) else _empty(inner)
            for inner in _answered(group)
            for value in [item.get(inner.id)]
        }

    def _lenient(
        self, expression: str, default: Any, *, kind: type | None = bool, item: Any = None
    ) -> Any:
        try:
            value = self._evaluate(expression, item)
        except RuleError as exc:
            self._report(expression, exc.detail, item)
            return default
        if kind is not None and not isinstance(value, kind):
            self._report(expression, f"expected {kind.__name__}, got {type(value).__name__}", item)
            return default
        return value

    def _report(self, expression: str, detail: str, item: Any) -> None:
        names = compile_expression(expression).names
        values = {**self.answers, **self.computed, "item": item}
        missing = any(_incomplete(values.get(name)) for name in names if name in values)
        log = logger.debug if missing else logger.error
        log("Rule in service %s not applied: %s: %s", self.definition.id, expression, detail)

    # --- what the form engine asks -----------------------------------------------------------

    def value(self, expression: str, item: Mapping[str, Any] | None = None) -> Any:
        """Strict evaluation of any expression in this definition's variables."""
        return self._evaluate(expression, item)

    def is_visible(self, node: Any, item: Mapping[str, Any] | None = None) -> bool:
        """A step or field (``item``: the group item, for fields inside a group)."""
        expression = getattr(node, "visible_if", None)
        return True if expression is None else self._lenient(expression, False, item=item)

    def is_required(self, field: Any, item: Mapping[str, Any] | None = None) -> bool:
        if isinstance(field, InfoField):
            return False
        if field.required_if is not None:
            return self._lenient(field.required_if, False, item=item)
        return bool(field.required)

    def failed_validations(self, step: FormStep | BookingStep) -> list[Validation]:
        """Validations of ``step`` that do not hold (errors and warnings)."""
        if not isinstance(step, FormStep):
            return []
        return [v for v in step.validations if not self._lenient(v.check, True)]

    def stop_rule(self, step: FormStep | BookingStep) -> StopRule | None:
        """The first stop rule of ``step`` that applies: the application ends there."""
        if not isinstance(step, FormStep):
            return None
        return next((rule for rule in step.stop_if if self._lenient(rule.when, False)), None)

    def fee_ore(self) -> int:
        fee = self.definition.fee
        if fee is None or not fee.charged:
            return 0
        if fee.lines:
            return sum(line.amount_ore for line in self.fee_lines())
        assert fee.expression is not None
        return self._kroner(fee.expression)

    def fee_lines(self, language: str | None = None) -> list[FeeLineValue]:
        """The fee's breakdown: the definition's ``lines`` that come to more than 0 kr, or
        one line (the service's title) for a fee given by ``expression``. Raises
        :class:`FeeUnavailable` while answers the fee depends on are missing."""
        fee = self.definition.fee
        if fee is None or not fee.charged:
            return []
        if fee.expression is not None:
            amount = self._kroner(fee.expression)
            title = self.definition.title.get(language or translation.get_language() or "nb")
            return [FeeLineValue(title, amount)] if amount else []
        found = []
        for line in fee.lines:
            amount = self._kroner(line.amount)
            if amount:
                found.append(FeeLineValue(self.text(line.text, language), amount))
        return found

    def _kroner(self, expression: str) -> int:
        try:
            value = self._evaluate(expression)
        except RuleError as exc:
            raise FeeUnavailable(expression, exc.detail) from None
        return kroner_to_ore(value, expression)

    def text(self, text: Text | str, language: str | None = None) -> str:
        """A text with ``{computed_id}`` placeholders filled in, in ``language``."""
        language = language or translation.get_language() or "nb"
        raw = text if isinstance(text, str) else text.get(language)
        return PLACEHOLDER.sub(
            lambda m: (
                format_value(self.computed.get(m.group(1)), language)
                if m.group(1) in self.computed
                else m.group(0)
            ),
            raw,
        )


def format_value(value: Any, language: str) -> str:
    with translation.override(language):
        if value is None:
            return "–"
        if isinstance(value, bool):
            return gettext("Ja") if value else gettext("Nei")
        if isinstance(value, datetime):
            return formats.date_format(value, "DATETIME_FORMAT", use_l10n=True)
        if isinstance(value, date):
            return formats.date_format(value, "DATE_FORMAT", use_l10n=True)
        if isinstance(value, int):
            return formats.number_format(value, use_l10n=True, force_grouping=True)
        if isinstance(value, float):
            places = 0 if value.is_integer() else 2
            return formats.number_format(value, places, use_l10n=True, force_grouping=True)
        if isinstance(value, list):
            return ", ".join(format_value(v, language) for v in value)
        return str(value)


def compute_fee(
    version: ServiceVersion, answers: Mapping[str, Any], today: date | None = None
) -> int:
    """The fee in øre for ``answers`` to ``version`` (0 for a free service or a link).

    Raises :class:`FeeUnavailable` while answers the fee depends on are missing.
    """
    from iktipet.catalog.schema import FormService

    definition = version.definition_model
    if not isinstance(definition, FormService):
        return 0
    return Evaluator(definition, answers, today=today).fee_ore()
