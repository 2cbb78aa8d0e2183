"""The CEL extension module, loaded without the `cel` package's command-line tool.

`import cel` runs the package's ``__init__``, which imports ``cel.cli``: typer, rich,
prompt_toolkit and pygments, ~400 modules and ~20 MiB in every process (measured: 26 MiB of
anonymous memory for `import cel`, 6 MiB for the extension alone), none of it used here. The
extension is loaded under its own name, ``cel.cel``, so a later `import cel` (the CLI, a test)
finds it in ``sys.modules`` and does not initialise it a second time.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from types import ModuleType
from typing import TYPE_CHECKING


def _extension() -> ModuleType:
    loaded = sys.modules.get("cel.cel")
    if loaded is not None:
        return loaded
    package = importlib.util.find_spec("cel")  # finds the package without importing it
    locations = list(package.submodule_search_locations or []) if package else []
    spec = importlib.machinery.PathFinder.find_spec("cel.cel", locations)
    if spec is None or spec.loader is None:
        raise ImportError("the CEL extension (cel.cel) is not installed", name="cel.cel")
    module = importlib.util.module_from_spec(spec)
    sys.modules["cel.cel"] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules["cel.cel"]
        raise
    return module


if TYPE_CHECKING:
    import cel.cel as cel
else:
    cel = _extension()
