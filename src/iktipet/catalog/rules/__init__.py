"""CEL rules of service definitions: compile, evaluate, fees. See docs/service-definitions.md.

Variable model (the same for every expression in a definition):

* each top-level field id → its answer (null when unanswered; ``[]`` for list-valued
  fields: multiple_choice, ranked_choice, file, group). Dates are timestamps at midnight
  UTC, integers int, decimals double, money int øre, groups lists of maps;
* each ``computed`` id → its value (null until its inputs are answered);
* ``today`` → the application date (timestamp), ``params`` → the definition's params;
* ``item`` → the current group item, inside a repeating group's fields.

Extra functions: ``birthdate(fnr)``, ``age(born, on)``, ``date(y, m, d)``,
``addDays(ts, n)``, ``daysBetween(a, b)``. Expressions are compiled once and cached.
"""

from iktipet.catalog.rules.engine import (
    CONTEXT_NAMES,
    ITEM_NAME,
    RESERVED_NAMES,
    Compiled,
    RuleError,
    RuleSyntaxError,
    compile_expression,
    evaluate,
    from_cel,
    to_cel,
)
from iktipet.catalog.rules.evaluator import (
    Evaluator,
    FeeLineValue,
    FeeUnavailable,
    compute_fee,
    format_value,
    kroner_to_ore,
)

__all__ = [
    "CONTEXT_NAMES",
    "ITEM_NAME",
    "RESERVED_NAMES",
    "Compiled",
    "Evaluator",
    "FeeLineValue",
    "FeeUnavailable",
    "RuleError",
    "RuleSyntaxError",
    "compile_expression",
    "compute_fee",
    "evaluate",
    "format_value",
    "from_cel",
    "kroner_to_ore",
    "to_cel",
]
