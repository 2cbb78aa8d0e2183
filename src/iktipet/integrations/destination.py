"""The ``external`` case destination: a back-office system handles the case.

The case opens in Iktipet as with ``internal`` (so the applicant follows it on Min side and
gets the same notices), and a ``no.iktipet.case.handed_over`` event tells the agency's
back office by webhook, with the API links to fetch the application and its documents. The
back office then moves the case through the API (POST /api/v1/cases/{id}/status, …).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from iktipet.applications.destinations import BaseCaseDestination, case_destinations
from iktipet.cases.services import case_link, open_case_for_application
from iktipet.core.events import record_event


@case_destinations.register("external")
class ExternalBackOffice(BaseCaseDestination):
    label = "An external back office, told by webhook and driving the case by API"

    def hand_over(self, application: Any) -> dict[str, Any]:
        case = open_case_for_application(application)
        api = f"{settings.BASE_URL.rstrip('/')}/api/v1/cases/{case.pk}"
        record_event(
            "case.handed_over",
            subject=f"cases/{case.pk}",
            source=f"/agencies/{case.agency.slug}",
            agency=case.agency,
            data={
                "case": str(case.pk),
                "reference": case.reference,
                "service": case.service_id,
                "status": case.status,
                "application": f"{api}/application",
                "documents": f"{api}/documents",
            },
        )
        return {
            "case": str(case.pk),
            "reference": case.reference,
            "url": case_link(case),
            "notified": True,
            "back_office": True,
        }
