"""The internal case destination: a submitted application becomes a case here."""

from __future__ import annotations

from typing import Any

from iktipet.applications.destinations import BaseCaseDestination, case_destinations


@case_destinations.register("internal")
class InternalCaseHandling(BaseCaseDestination):
    label = "Iktipet case handling"

    def hand_over(self, application: Any) -> dict[str, Any]:
        from iktipet.cases.services import case_link, open_case_for_application

        case = open_case_for_application(application)
        # "notified": the case handling tells the applicant itself (case.received, through
        # the contact register), so the applications app sends no email of its own.
        return {
            "case": str(case.pk),
            "reference": case.reference,
            "url": case_link(case),
            "notified": True,
        }
