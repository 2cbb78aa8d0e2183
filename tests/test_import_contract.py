"""The dependency direction of ARCHITECTURE.md §3, as the contracts in pyproject.toml say it.

An import that breaks it (a module-level one or one inside a function) fails here, with
import-linter's report of the chain that does it.
"""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_the_import_contracts_hold(capsys):
    code = lint_imports(config_filename=str(PYPROJECT), no_cache=True)
    report = capsys.readouterr().out
    assert code == 0, report
    assert "0 broken" in report
