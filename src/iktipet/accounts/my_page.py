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
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from iktipet.accounts.models import Person

SectionContext = Callable[[HttpRequest, Person], dict[str, Any]]


@dataclass(frozen=True)
class Section:
    template: str
    order: int
    context: SectionContext


_sections: dict[str, Section] = {}


def my_page_section(
    template: str, *, order: int = 100
) -> Callable[[SectionContext], SectionContext]:
    def decorator(func: SectionContext) -> SectionContext:
        _sections[template] = Section(template, order, func)
        return func

    return decorator


def rendered_sections(request: HttpRequest, person: Person) -> list[dict[str, Any]]:
    """``[{"template": …, "context": {…}}]`` in order, for the Min side template."""
    ordered = sorted(_sections.values(), key=lambda section: (section.order, section.template))
    return [{"template": s.template, "context": s.context(request, person)} for s in ordered]
