"""After the submit: the confirmation email, the stored receipt PDF, the hand-over; old
drafts cleaned up; organisations' applications reachable by whoever acts for them."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_applications_journey import STEPS, fill, start

from iktipet.accounts import sessions
from iktipet.accounts.parties import ActingParty
from iktipet.accounts.testing import sign_in_citizen
from iktipet.applications import tasks
from iktipet.applications.destinations import BaseCaseDestination, case_destinations
from iktipet.applications.engine.names import count_input
from iktipet.applications.models import Application
from iktipet.applications.services import delete_drafts_older_than
from iktipet.documents.pdfcheck import pdf_facts
from iktipet.ops.periodic import schedules
from support.applications import KARI, form_service, publish, seed, text
from support.payments import run_worker

TESTGRILLEN = ActingParty("organisation", "310000019", "Testgrillen Restaurant AS")
AKSEL, AKSEL_NAME = "08846949934", ("Aksel", "Lie-Test")  # styreleder of Testgrillen


@pytest.fixture
def version(db):
    return publish(
        form_service(
            STEPS, fee={"expression": "antall * 250", "when": "decision", "description": text("x")}
        )
    )


def _submitted(client) -> Application:
    application = start(client)
    fill(client, application)
    client.post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    return application


def test_the_case_handling_tells_the_applicant_and_no_receipt_is_rendered(kari_client, version):
    from iktipet.messaging.models import Notification

    application = _submitted(kari_client)
    queued = list(DBTaskResult.objects.values_list("task_path", flat=True))
    # The internal case handling sends the receipt notice itself, through the contact
    # register; the receipt PDF is rendered on first download (the worker could not keep pace).
    # The submit queues the notice; the worker writes it and sends it in that one task.
    assert queued == ["iktipet.cases.tasks.notify_received"]
    assert not Notification.objects.exists()
    assert run_worker() == 1
    notice = Notification.objects.get()
    assert notice.event == "case.received"
    assert (notice.status, notice.attempts) == ("sent", 1)
    assert notice.context["reference"] == application.case.reference
    assert notice.recipient_user == application.applicant and notice.language == "nb"


@case_destinations.register("test-quiet")
class QuietDestination(BaseCaseDestination):
    """A case destination that does not tell the applicant (a back-office system, say)."""

    def hand_over(self, application):
        return {}


@pytest.fixture
def quiet_destination(settings):
    settings.CASE_DESTINATION = "test-quiet"


def test_another_destination_gets_the_receipt_email(kari_client, version, quiet_destination):
    application = _submitted(kari_client)
    queued = list(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == ["iktipet.applications.tasks.send_confirmation_email"]
    assert tasks.send_confirmation_email.call(str(application.pk)) is True
    message = mail.outbox[-1]
    assert message.to == ["kari@example.invalid"]
    assert application.reference in message.subject
    assert "/min-side/" in message.body
    assert "Sommerfest" not in message.body  # no answers in the email


def test_receipt_pdf_is_rendered_on_first_download_and_kept(kari_client, version):
    application = _submitted(kari_client)
    assert not application.receipt_pdf.name
    url = reverse("applications:receipt_pdf", args=[application.pk])
    first = kari_client.get(url)
    facts = pdf_facts(first.content)
    assert (facts.pdfa_part, facts.pdfa_conformance) == ("2", "B") and facts.all_fonts_embedded
    application.refresh_from_db()
    assert application.receipt_pdf.name
    with application.receipt_pdf.open("rb") as handle:
        assert handle.read() == first.content
    assert kari_client.get(url).content == first.content


def test_expired_drafts_are_deleted_by_a_periodic_task(kari_client, version, settings):
    assert "applications.delete_expired_drafts" in schedules()
    old = start(kari_client)
    recent = start(kari_client)
    submitted = _submitted(kari_client)
    long_ago = timezone.now() - datetime.timedelta(days=settings.DRAFT_RETENTION_DAYS + 1)
    Application.objects.filter(pk__in=[old.pk, submitted.pk]).update(updated_at=long_ago)
    assert tasks.delete_expired_drafts.call() == 1
    assert set(Application.objects.values_list("pk", flat=True)) == {recent.pk, submitted.pk}
    assert delete_drafts_older_than(timezone.now() - datetime.timedelta(days=1)) == 0


@pytest.fixture
def skjenkebevilling(db):
    return publish(seed("skjenkebevilling"))


def test_organisation_service_asks_whom_you_act_for(kari_client, skjenkebevilling):
    response = kari_client.get(reverse("applications:start", args=["skjenkebevilling"]))
    assert response.status_code == 302
    assert reverse("accounts:choose_party") in response.url
    # The service's id, never its role codes: the accounts app reads those from the definition.
    assert "tjeneste=skjenkebevilling" in response.url
    assert "roller" not in response.url


def test_organisation_applications_are_shared_by_its_representatives(
    client, kari, skjenkebevilling
):
    sign_in_citizen(client, KARI, acting_for=TESTGRILLEN)
    application = start(client, "skjenkebevilling")
    assert (application.party_kind, application.party_identifier) == ("organisation", "310000019")
    assert application.party_name == "Testgrillen Restaurant AS"
    # Another person acting for the same organisation reaches it; acting for himself, the
    # link (from Min side, which lists every party's drafts) switches to the organisation.
    sign_in_citizen(client, AKSEL, name=AKSEL_NAME, acting_for=TESTGRILLEN)
    url = reverse("applications:resume", args=[application.pk])
    assert client.get(url).status_code == 302
    sign_in_citizen(client, AKSEL, name=AKSEL_NAME)
    assert client.get(url).status_code == 302
    assert client.session[sessions.PARTY]["id"] == "310000019"
    # A POST under the wrong party is never switched.
    sign_in_citizen(client, AKSEL, name=AKSEL_NAME)
    assert client.post(reverse("applications:delete", args=[application.pk])).status_code == 404


def test_a_board_member_cannot_open_the_organisations_draft(client, kari, skjenkebevilling):
    """Issue 9: a styremedlem (MEDL) with the organisation in her session — however it got
    there — reaches none of its applications: the register is asked where the party is used."""
    sign_in_citizen(client, KARI, acting_for=TESTGRILLEN)
    application = start(client, "skjenkebevilling")
    resume = reverse("applications:resume", args=[application.pk])
    sign_in_citizen(client, "24927149989", name=("Nora", "Lie-Test"), acting_for=TESTGRILLEN)
    assert client.get(resume).status_code == 404
    step = reverse("applications:step", args=[application.pk, application.current_step or "x"])
    assert client.post(step, {"_action": "next"}).status_code == 404
    assert client.post(reverse("applications:delete", args=[application.pk])).status_code == 404
    assert Application.objects.filter(pk=application.pk, status="draft").exists()


def test_acting_for_an_organisation_without_a_role_is_refused(client, kari, skjenkebevilling):
    dahl = ActingParty("organisation", "310000027", "Dahl Eksempelbygg AS")
    sign_in_citizen(client, KARI, acting_for=dahl)
    response = client.get(reverse("applications:start", args=["skjenkebevilling"]))
    assert reverse("accounts:choose_party") in response.url
    assert not Application.objects.exists()


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.dictionaries(
        st.sampled_from(
            ["navn", "antall", "mer", "detaljer", "_shown", "_action", count_input("x")]
        ),
        st.lists(st.text(max_size=60), max_size=3),
        max_size=7,
    )
)
def test_fuzz_step_posts_never_fail(kari_client, version, data):
    application = Application.objects.filter(status="draft").first() or start(kari_client)
    url = reverse("applications:step", args=[application.pk, "om"])
    response = kari_client.post(url, data)
    assert response.status_code in (200, 302)
