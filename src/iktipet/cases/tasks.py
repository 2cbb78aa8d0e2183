"""Periodic work of the cases app."""

from __future__ import annotations

from datetime import timedelta

from iktipet.core.tasks import background
from iktipet.ops.periodic import every


@every(timedelta(minutes=15), name="cases.expire_offers")
@background(queue_name="periodic")
def expire_unanswered_offers() -> int:
    """Kindergarten offers not answered within their 10 days expire."""
    from iktipet.cases.services import expire_offers

    return expire_offers()
