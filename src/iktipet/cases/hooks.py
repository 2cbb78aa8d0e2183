"""Seams where other apps react to a case without the cases app importing them.

``@on_case_opened("nabovarsel")`` registers a function called in the submit transaction
when a case of that service is opened (the neighbour notices are sent from there).
``@case_section(...)`` adds a section to the applicant's or the case worker's case page.
Both are :class:`iktipet.core.hooks.Hooks`, grouped by service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iktipet.core.hooks import Hooks

CaseOpened = Callable[[Any], None]
#: ``(request, case)`` → the section template's context, or None to show nothing.
SectionContext = Callable[[Any, Any], dict[str, Any] | None]

opened_hooks: Hooks[CaseOpened] = Hooks("case opened")
section_hooks: Hooks[SectionContext] = Hooks("case page section")

AUDIENCES = ("applicant", "staff")


def on_case_opened(service_id: str) -> Callable[[CaseOpened], CaseOpened]:
    return opened_hooks.decorator(group=service_id)


def case_opened(case: Any) -> None:
    for hook in opened_hooks.values(case.service_id):
        hook(case)


def case_section(
    service_id: str, *, audience: str, template: str
) -> Callable[[SectionContext], SectionContext]:
    """``@case_section("nabovarsel", audience="staff", template="nabovarsel/_staff.html")``

    The function gets ``(request, case)`` for a case the viewer may see and returns the
    template's context, or None to show nothing. ``audience``: "applicant" (the citizen's
    case page) or "staff" (the case worker's).
    """
    if audience not in AUDIENCES:
        raise ValueError("audience is 'applicant' or 'staff'")
    return section_hooks.decorator(template, group=(service_id, audience))


def rendered_case_sections(request: Any, case: Any, audience: str) -> list[dict[str, Any]]:
    """``[{"template": …, "context": {…}}]`` for the case page template to include."""
    found = []
    for hook in section_hooks.entries((case.service_id, audience)):
        context = hook.value(request, case)
        if context is not None:
            found.append({"template": hook.key, "context": context})
    return found
