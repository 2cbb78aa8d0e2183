"""Helpers for the cases tests: cases opened by submitting real applications over HTTP.

``submitted_case()`` publishes a small form service for the agency and workflow asked for,
signs a citizen in on a fresh test client, fills the form, submits it (the internal case
destination opens the case in the submit transaction) and returns the Case. Needs the
demo agencies (the ``agencies`` fixture in tests/cases/conftest.py) and a database.
"""

from __future__ import annotations

import uuid

from support.applications import KARI, OLA, form_service, publish, text
from support.form_browser import PDF

__all__ = ["KARI", "OLA", "PDF", "case_service", "case_url", "submitted_case"]

#: Workflow → the agency whose kind of service it is in the demo data.
DEFAULT_AGENCY = {
    "standard": "naeringsetaten",
    "skjenkebevilling": "naeringsetaten",
    "barnehage": "utdanningsetaten",
    "timebestilling": "bymiljoetaten",
    "nabovarsel": "plan-og-bygningsetaten",
}


def case_service(
    service_id: str = "testsak",
    *,
    agency: str | None = None,
    workflow: str = "standard",
    title: str = "Testsøknad",
    login_level: str = "substantial",
    representation_roles: tuple[str, ...] = (),
    **extra,
):
    """Publish a small form service (name, description, optional PDF attachment; for the
    barnehage workflow also ranked kindergartens) that hands over to Iktipet's cases."""
    fields = [
        {"id": "navn", "type": "text", "label": text("Navn på tiltaket")},
        {"id": "beskrivelse", "type": "long_text", "label": text("Beskrivelse")},
        {
            "id": "vedlegg",
            "type": "file",
            "label": text("Vedlegg"),
            "required": False,
        },
    ]
    if workflow == "barnehage":
        fields.append(
            {
                "id": "kindergartens",
                "type": "ranked_choice",
                "register": "kindergartens",
                "label": text("Barnehager i prioritert rekkefølge"),
                "min_choices": 1,
                "max_choices": 5,
            }
        )
    steps = [{"id": "om", "title": text("Om søknaden"), "fields": fields}]
    return publish(
        form_service(
            steps,
            id=service_id,
            agency=agency or DEFAULT_AGENCY.get(workflow, "naeringsetaten"),
            workflow=workflow,
            title=text(title),
            login_level=login_level,
            **(
                {"audience": "organisation", "representation_roles": list(representation_roles)}
                if representation_roles
                else {}
            ),
            **extra,
        )
    )


def submitted_case(
    service_id: str = "testsak",
    *,
    pid: str = KARI,
    name: tuple[str, str] = ("Kari", "Nordmann-Test"),
    agency: str | None = None,
    workflow: str = "standard",
    title: str = "Testsøknad",
    attachment: bytes | None = None,
    attachment_name: str = "tegning.pdf",
    kindergartens: tuple[str, ...] = ("bhg-002", "bhg-001"),
    publish_service: bool = True,
    login_level: str = "substantial",
    acting_for=None,
    **answers,
):
    """Submit an application of ``service_id`` over HTTP as the citizen ``pid``; the Case.

    ``answers`` override the form's answers (``navn``, ``beskrivelse``). The service is
    published first unless ``publish_service=False`` (it exists already). ``acting_for``
    (an ``ActingParty``) applies for an organisation the citizen may represent.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from iktipet.accounts.testing import sign_in_citizen
    from iktipet.applications.models import Application
    from iktipet.cases.models import Case

    if publish_service:
        case_service(
            service_id, agency=agency, workflow=workflow, title=title, login_level=login_level
        )
    client = Client()
    person = sign_in_citizen(client, pid, name=name, level=login_level, acting_for=acting_for)
    start = reverse("applications:start", args=[service_id])
    response = client.post(start, {"start_token": str(uuid.uuid4())})
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.filter(applicant=person.user).latest("created_at")
    data = {
        "navn": "Sommerfest i parken",
        "beskrivelse": "Et arrangement for nabolaget.",
        "_action": "next",
        **answers,
    }
    if attachment is not None:
        data["vedlegg"] = SimpleUploadedFile(attachment_name, attachment, "application/pdf")
    if workflow == "barnehage":
        for rank, value in enumerate(kindergartens, start=1):
            data[f"kindergartens-{rank}"] = value
    step = reverse("applications:step", args=[application.pk, "om"])
    response = client.post(step, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(reverse("applications:submit", args=[application.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    application.refresh_from_db()
    assert application.status == "submitted", application.status
    return Case.objects.select_related("application", "agency").get(application=application)


def case_url(case) -> str:
    """The case's page on Min side."""
    from django.urls import reverse

    return reverse("cases:case", args=[case.pk])
