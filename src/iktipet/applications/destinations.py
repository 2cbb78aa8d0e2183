"""Case destinations: where a submitted application goes (one plugin kind, §4 of the design).

The cases app registers ``internal`` (Iktipet's own case handling); a back-office system by
webhook or Fiks would be others. The applications app knows only this base class, so it
never imports the apps above it.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from iktipet.core.registry import Plugin, Registry


class BaseCaseDestination(Plugin):
    @abstractmethod
    def hand_over(self, application: Any) -> dict[str, Any]:
        """Take over ``application``, inside the submit transaction. Returns what to record
        (e.g. the case number); raising rolls the submit back."""


#: ``IKTIPET_CASE_DESTINATION`` chooses one (default ``internal``).
case_destinations: Registry[BaseCaseDestination] = Registry(
    "case destination", BaseCaseDestination, setting="CASE_DESTINATION"
)
