"""Sections other apps add to Min side (drafts, cases, bookings) without touching its view.

    from iktipet.accounts.my_page import my_page_section

    @my_page_section("applications/_my_drafts.html", order=10)
    def drafts(request, person):
        return {"drafts": drafts_for_actor(request.user)}

The template is included with the returned dict as ``section`` (plus the page's context).
Register at import time of a module Django loads (an app's ``apps.ready`` or ``views``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from iktipet.accounts.models import Person
from iktipet.core.hooks import Hooks

SectionContext = Callable[[HttpRequest, Person], dict[str, Any]]

#: Keyed by template.
section_hooks: Hooks[SectionContext] = Hooks("Min side section")


def my_page_section(
    template: str, *, order: int = 100
) -> Callable[[SectionContext], SectionContext]:
    return section_hooks.decorator(template, order=order)


def rendered_sections(request: HttpRequest, person: Person) -> list[dict[str, Any]]:
    """``[{"template": …, "context": {…}}]`` in order, for the Min side template."""
    return [
        {"template": hook.key, "context": hook.value(request, person)}
        for hook in section_hooks.entries()
    ]
