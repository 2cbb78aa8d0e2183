"""Periodic work of the nabovarsel app."""

from __future__ import annotations

from datetime import timedelta

from iktipet.core.tasks import background
from iktipet.ops.periodic import every


@every(timedelta(minutes=30), name="nabovarsel.close_expired_notice_rounds")
@background(queue_name="periodic")
def close_expired_notice_rounds() -> int:
    """Rounds whose neighbours' deadlines have all passed get their summary PDF and move on."""
    from iktipet.nabovarsel.services import close_expired_notice_rounds as close

    return close()
