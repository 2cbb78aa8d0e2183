"""A file's name follows its content: ``poly.html`` that is a PDF is kept and downloaded as a
PDF (``poly.pdf``) by staff and citizen alike; the name the uploader gave is shown as text."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.cases import services
from iktipet.messaging.models import Message
from support.cases import KARI, PDF, submitted_case

POLYGLOT = "poly<i>.html"  # a PDF by its magic bytes, HTML by its name


@pytest.fixture
def worker(agencies):
    client = Client()
    client.user = sign_in_staff(client, [("naeringsetaten", "case_worker")])
    return client


@pytest.fixture
def citizen(agencies):
    client = Client()
    sign_in_citizen(client, KARI)
    return client


def _downloaded(response) -> tuple[str, bytes]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    return response["Content-Disposition"], b"".join(response.streaming_content)


def test_an_application_file_named_html_is_kept_and_downloaded_as_pdf(worker, citizen):
    case = submitted_case(attachment=PDF, attachment_name=POLYGLOT)
    attachment = case.application.attachments.get()
    assert (attachment.content_type, attachment.original_name) == ("application/pdf", POLYGLOT)
    assert attachment.file.name.endswith(".pdf")

    page = worker.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert "poly&lt;i&gt;.html" in page  # the uploader's name, as text
    assert "poly<i>" not in page
    staff_file = worker.get(reverse("casework:attachment", args=[case.pk, attachment.pk]))
    assert _downloaded(staff_file) == ('attachment; filename="poly<i>.pdf"', PDF)

    own_file = citizen.get(reverse("applications:attachment", args=[attachment.pk]))
    assert _downloaded(own_file) == ('attachment; filename="poly<i>.pdf"', PDF)


def test_a_message_file_named_html_is_kept_and_downloaded_as_pdf(worker, citizen):
    case = submitted_case()
    services.request_information(case, user=worker.user, body="Send tegningen.")
    response = citizen.post(
        reverse("cases:message", args=[case.pk]),
        {"body": "Her er den.", "files": [SimpleUploadedFile("svar.html", PDF, "text/html")]},
    )
    assert response.status_code == 302
    attachment = Message.objects.get(thread=case.thread, side="citizen").attachments.get()
    assert attachment.file.name.endswith(".pdf")
    assert "svar.html" in citizen.get(response.url).content.decode()

    staff_file = worker.get(reverse("casework:message_attachment", args=[case.pk, attachment.pk]))
    assert _downloaded(staff_file) == ('attachment; filename="svar.pdf"', PDF)
    own_file = citizen.get(reverse("cases:attachment", args=[case.pk, attachment.pk]))
    assert _downloaded(own_file) == ('attachment; filename="svar.pdf"', PDF)
