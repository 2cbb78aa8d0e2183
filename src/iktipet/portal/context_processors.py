from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from iktipet.core.selectors import current_municipality


def portal(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs on every page: the municipality's name and theme."""
    return {"municipality": current_municipality()}
