"""Seams where other apps react to a case without the cases app importing them.

``@on_case_opened("nabovarsel")`` registers a function called in the submit transaction
when a case of that service is opened (the neighbour notices are sent from there).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_opened: dict[str, list[Callable[[Any], None]]] = {}


def on_case_opened(service_id: str) -> Callable[[Callable[[Any], None]], Callable[[Any], None]]:
    def decorator(func: Callable[[Any], None]) -> Callable[[Any], None]:
        hooks = _opened.setdefault(service_id, [])
        if func not in hooks:
            hooks.append(func)
        return func

    return decorator


def case_opened(case: Any) -> None:
    for hook in _opened.get(case.service_id, []):
        hook(case)


# --- sections other apps add to a case page -----------------------------------------------

#: ``audience``: "applicant" (the citizen's case page) or "staff" (the case worker's).
SectionContext = Callable[[Any, Any], dict[str, Any] | None]
_sections: dict[tuple[str, str], list[tuple[str, SectionContext]]] = {}


def case_section(
    service_id: str, *, audience: str, template: str
) -> Callable[[SectionContext], SectionContext]:
    """``@case_section("nabovarsel", audience="staff", template="nabovarsel/_staff.html")``

    The function gets ``(request, case)`` for a case the viewer may see and returns the
    template's context, or None to show nothing.
    """
    if audience not in ("applicant", "staff"):
        raise ValueError("audience is 'applicant' or 'staff'")

    def decorator(func: SectionContext) -> SectionContext:
        entries = _sections.setdefault((service_id, audience), [])
        if all(existing != template for existing, _f in entries):
            entries.append((template, func))
        return func

    return decorator


def rendered_case_sections(request: Any, case: Any, audience: str) -> list[dict[str, Any]]:
    """``[{"template": …, "context": {…}}]`` for the case page template to include."""
    found = []
    for template, func in _sections.get((case.service_id, audience), []):
        context = func(request, case)
        if context is not None:
            found.append({"template": template, "context": context})
    return found
