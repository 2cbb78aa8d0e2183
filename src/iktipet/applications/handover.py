"""Where a submitted application goes: the configured case destination."""

from __future__ import annotations

from django.conf import settings

from iktipet.applications.destinations import case_destinations
from iktipet.applications.models import Application, Received


def hand_over(application: Application) -> Received:
    """Hand ``application`` to ``IKTIPET_CASE_DESTINATION`` and record that it was received.

    Runs inside the submit transaction: if the destination fails, nothing is submitted.
    """
    name = settings.CASE_DESTINATION
    destination = case_destinations.create(name)
    details = destination.hand_over(application)
    return Received.objects.create(application=application, destination=name, details=details)
