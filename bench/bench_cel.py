"""How long CEL rules take here: compile, one evaluation, a whole definition.

    .venv/bin/python bench/bench_cel.py [--n 2000]

Prints microseconds per operation (median of 5 runs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iktipet.settings")

import django  # noqa: E402

django.setup()

import cel  # noqa: E402

from iktipet.catalog.loader import read_definition  # noqa: E402
from iktipet.catalog.rules import Evaluator, compile_expression, evaluate  # noqa: E402

FEE = "x > 6400.0 ? x : 6400.0"
ANSWERS = {
    "alcohol_groups": ["gruppe1", "gruppe2", "gruppe3"],
    "litres_group1": 10000,
    "litres_group2": 3000,
    "litres_group3": 200,
    "styrer": {"name": "Kari Nordmann-Test", "fnr": "17819049912"},
    "stedfortreder": {"name": "Ola Nordmann-Test", "fnr": "03868849974"},
}


def per_op(func: Callable[[], object], n: int) -> float:
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            func()
        runs.append((time.perf_counter() - start) / n * 1e6)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    n = parser.parse_args().n
    definition = read_definition(ROOT / "services" / "skjenkebevilling.yaml").definition
    program = cel.compile(FEE)
    volume = definition.computed[0].expression  # type: ignore[union-attr]
    people = definition.step("people")  # type: ignore[union-attr]
    rows = [
        ("cel.compile (uncached)", lambda: cel.compile(FEE)),
        ("compile_expression (cached)", lambda: compile_expression(FEE)),
        ("Program.execute, raw dict", lambda: program.execute({"x": 11848.0})),
        ("rules.evaluate, yearly minimum", lambda: evaluate(FEE, {"x": 11848.0}, {})),
        (
            "rules.evaluate, volume fee",
            lambda: evaluate(volume, ANSWERS, {"params": definition.params}),
        ),  # type: ignore[union-attr]
        ("Evaluator(skjenkebevilling) setup", lambda: Evaluator(definition, ANSWERS)),  # type: ignore[arg-type]
        ("Evaluator + fee_ore", lambda: Evaluator(definition, ANSWERS).fee_ore()),  # type: ignore[arg-type]
        (
            "Evaluator + people validations",
            lambda: Evaluator(definition, ANSWERS).failed_validations(people),
        ),  # type: ignore[arg-type]
    ]
    print(f"{'operation':40} µs/op")
    for label, func in rows:
        print(f"{label:40} {per_op(func, n):9.1f}")


if __name__ == "__main__":
    main()
