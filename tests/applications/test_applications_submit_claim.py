"""Submit checks the draft outside the write transaction, then claims it only if unchanged:
a draft saved or submitted in another tab meanwhile never gives a stale or double submit."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from test_applications_journey import STEPS, fill, start

from iktipet.accounts.parties import for_self
from iktipet.applications import services
from iktipet.applications.models import Application, Received
from iktipet.applications.services import submit
from support.applications import form_service, publish, text


@pytest.fixture
def version(db):
    return publish(
        form_service(
            STEPS, fee={"expression": "antall * 250", "when": "decision", "description": text("x")}
        )
    )


def _between_check_and_claim(monkeypatch, meanwhile) -> list[int]:
    """Run ``meanwhile`` once, after the first check and before its claim."""
    calls: list[int] = []
    check = submit._check_for_submit

    def checked_then_interrupted(application, **kwargs):
        result = check(application, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            meanwhile(application)
        return result

    monkeypatch.setattr(submit, "_check_for_submit", checked_then_interrupted)
    return calls


def test_a_draft_saved_after_its_check_is_checked_again(kari_client, version, monkeypatch):
    application = start(kari_client)
    fill(kari_client, application)

    def another_tab_saves(draft):
        answers = {**draft.answers, "antall": 5}
        Application.objects.filter(pk=draft.pk).update(answers=answers, updated_at=timezone.now())

    calls = _between_check_and_claim(monkeypatch, another_tab_saves)
    response = kari_client.post(reverse("applications:submit", args=[application.pk]))
    assert response.url == reverse("applications:receipt", args=[application.pk])
    application.refresh_from_db()
    assert len(calls) == 2
    assert application.status == "submitted"
    assert application.answers["antall"] == 5
    assert application.fee_ore == 5 * 250 * 100  # the fee of what was sent, not of the first check


def test_a_draft_submitted_after_its_check_is_not_submitted_twice(
    kari_client, kari, version, monkeypatch
):
    application = start(kari_client)
    fill(kari_client, application)
    party = for_self(application.applicant)

    def another_tab_submits(draft):
        monkeypatch.undo()
        services.submit_application(draft, user=kari, party=party)

    _between_check_and_claim(monkeypatch, another_tab_submits)
    response = kari_client.post(reverse("applications:submit", args=[application.pk]))
    assert response.url == reverse("applications:receipt", args=[application.pk])
    assert Application.objects.get(pk=application.pk).status == "submitted"
    assert Received.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="notify_received").count() == 1


def test_a_draft_that_keeps_changing_is_refused_not_submitted(kari_client, version, monkeypatch):
    application = start(kari_client)
    fill(kari_client, application)
    check = submit._check_for_submit

    def always_interrupted(draft, **kwargs):
        result = check(draft, **kwargs)
        Application.objects.filter(pk=draft.pk).update(updated_at=timezone.now())
        return result

    monkeypatch.setattr(submit, "_check_for_submit", always_interrupted)
    with pytest.raises(RuntimeError):
        services.submit_application(
            application, user=application.applicant, party=for_self(application.applicant)
        )
    assert Application.objects.get(pk=application.pk).status == "draft"
    assert Received.objects.count() == 0


def test_a_reference_already_taken_is_drawn_again_with_one_case(kari_client, version, monkeypatch):
    """The claim has no savepoint of its own: a taken reference rolls the submit's
    transaction back and it runs again with a new one, opening exactly one case."""
    first = start(kari_client)
    fill(kari_client, first)
    kari_client.post(reverse("applications:submit", args=[first.pk]))
    first.refresh_from_db()
    application = start(kari_client)
    fill(kari_client, application)
    drawn = iter([first.reference, "IKT-2026-NEW234"])
    monkeypatch.setattr(submit, "new_reference", lambda year: next(drawn))
    response = kari_client.post(reverse("applications:submit", args=[application.pk]))
    assert response.url == reverse("applications:receipt", args=[application.pk])
    application.refresh_from_db()
    assert application.status == "submitted" and application.reference == "IKT-2026-NEW234"
    assert application.case.sequence == first.case.sequence + 1
    assert Received.objects.filter(application=application).count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="notify_received").count() == 2
