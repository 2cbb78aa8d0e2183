"""The ``external`` case destination: the back office is told by webhook, fetches the
application by API, moves the case by API, and the applicant follows it on Min side."""

from __future__ import annotations

from django.test import Client

from support.cases import KARI, case_url, submitted_case
from support.webhook_receiver import deliver_all


def test_a_back_office_told_by_webhook_fetches_and_moves_the_case(backoffice, hooks, settings):
    from iktipet.accounts.testing import sign_in_citizen
    from iktipet.applications.models import Received

    receiver, _subscription = hooks
    settings.CASE_DESTINATION = "external"
    case = submitted_case(navn="Gatefest")
    assert Received.objects.get(application=case.application).destination == "external"
    deliver_all()
    told = [e for e in receiver.events if e["type"] == "no.iktipet.case.handed_over"]
    assert len(told) == 1
    data = told[0]["data"]
    api = backoffice.http()
    application = api.get(data["application"].split("/api/v1", 1)[1]).json()
    assert application["answers"]["navn"] == "Gatefest"
    assert api.get(data["documents"].split("/api/v1", 1)[1]).status_code == 200

    moved = api.post(f"/cases/{data['case']}/status", json={"transition": "start_review"})
    assert moved.status_code == 200, moved.text
    kari = Client()
    sign_in_citizen(kari, KARI)
    page = kari.get(case_url(case)).content.decode()
    assert moved.json()["status_label"] in page
