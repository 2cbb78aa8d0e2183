"""The print queue: staff see the letters of their own agencies only; printing is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from iktipet.accounts.testing import sign_in_staff
from iktipet.core.models import AuditEvent
from iktipet.messaging.models import PrintLetter
from iktipet.messaging.services import mark_letter_printed, notify
from iktipet.messaging.tasks import send_notification
from support.messaging import AKSEL

QUEUE = reverse("messaging_staff:print_queue")


def _letter(agency) -> PrintLetter:
    notification = notify(
        event="case.decided",
        pid=AKSEL,
        agency=agency,
        link_path="/min-side/saker/1/",
        context={"reference": "2026/000007", "service_title": "Skjenkebevilling"},
    )
    assert send_notification.call(str(notification.pk)) == "print_queued"
    return notification.letter


@pytest.fixture
def letters(agencies):
    return {
        "a": _letter(agencies["naeringsetaten"]),
        "b": _letter(agencies["plan-og-bygningsetaten"]),
    }


def test_anonymous_is_sent_to_the_staff_login(client, letters):
    for url in (QUEUE, reverse("messaging_staff:letter", args=[letters["a"].pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:staff_login"))


def test_a_case_worker_sees_the_letters_of_her_agency_only(client, letters):
    sign_in_staff(client, [("naeringsetaten", "case_worker")])
    page = client.get(QUEUE)
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("messaging_staff:letter", args=[letters["a"].pk]) in html
    assert reverse("messaging_staff:letter", args=[letters["b"].pk]) not in html

    letter = client.get(reverse("messaging_staff:letter", args=[letters["a"].pk]))
    assert letter.status_code == 200
    text = letter.content.decode()
    assert "Aksel Lie-Test" in text and "Eksempelveien 7" in text and "0377 OSLO" in text
    assert "Det er gjort vedtak i saken din" in text
    assert "print.css" in text and "<script" not in text and "style=" not in text
    assert AuditEvent.objects.filter(
        action="messaging.letter_viewed", target_id=str(letters["a"].pk)
    ).exists()

    other = reverse("messaging_staff:letter", args=[letters["b"].pk])
    assert client.get(other).status_code == 404
    printed = reverse("messaging_staff:letter_printed", args=[letters["b"].pk])
    assert client.post(printed).status_code == 404
    letters["b"].refresh_from_db()
    assert letters["b"].status == "queued"


def test_mark_printed_moves_the_letter_out_of_the_queue_and_is_audited(client, letters):
    user = sign_in_staff(client, [("naeringsetaten", "case_worker")])
    url = reverse("messaging_staff:letter_printed", args=[letters["a"].pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response.url == QUEUE
    letter = PrintLetter.objects.get(pk=letters["a"].pk)
    assert (letter.status, letter.printed_by) == ("printed", user)
    assert letter.printed_at is not None
    event = AuditEvent.objects.get(action="messaging.letter_printed")
    assert (event.actor, event.target_id) == (user, str(letter.pk))

    assert client.post(url).status_code == 302  # twice: still one audit entry
    assert AuditEvent.objects.filter(action="messaging.letter_printed").count() == 1
    queue = client.get(QUEUE).content.decode()
    assert reverse("messaging_staff:letter", args=[letter.pk]) not in queue
    printed = client.get(QUEUE + "?vis=utskrevet").content.decode()
    assert reverse("messaging_staff:letter", args=[letter.pk]) in printed


def test_the_service_refuses_staff_of_another_agency(letters, django_user_model):
    from django.core.exceptions import PermissionDenied

    from iktipet.accounts.services import sync_staff_roles

    outsider = django_user_model.objects.create(username="pbe", kind="staff")
    sync_staff_roles(outsider, [("plan-og-bygningsetaten", "case_worker")])
    with pytest.raises(PermissionDenied):
        mark_letter_printed(letters["a"], user=outsider)


def test_the_admin_lists_notifications_for_operators_read_only(client, letters):
    sign_in_staff(client, [(None, "operator")], username="operator")
    from iktipet.accounts.models import User

    User.objects.filter(username="operator").update(is_staff=True)
    response = client.get(reverse("admin:messaging_notification_changelist"))
    assert response.status_code == 200
    assert "case.decided" in response.content.decode()
    found = client.get(reverse("admin:messaging_notification_changelist") + f"?q={AKSEL}")
    assert found.context["cl"].result_count == 2
    notification = letters["a"].notification
    change = client.get(reverse("admin:messaging_notification_change", args=[notification.pk]))
    assert change.status_code == 200
    assert AKSEL not in change.content.decode()
    assert "recipient_pid_encrypted" not in change.content.decode()
    assert (
        client.post(
            reverse("admin:messaging_notification_change", args=[notification.pk]), {}
        ).status_code
        == 403
    )


def test_the_admin_action_marks_letters_of_ones_agency_printed(client, letters):
    sign_in_staff(client, [("naeringsetaten", "case_worker")], username="nae")
    from iktipet.accounts.models import User

    User.objects.filter(username="nae").update(is_staff=True)
    changelist = reverse("admin:messaging_printletter_changelist")
    page = client.get(changelist)
    assert page.status_code == 200 and page.context["cl"].result_count == 1
    # Notifications are for operators only.
    assert client.get(reverse("admin:messaging_notification_changelist")).status_code == 403
    response = client.post(
        changelist,
        {"action": "mark_printed", "_selected_action": [letters["a"].pk, letters["b"].pk]},
    )
    assert response.status_code == 302
    statuses = dict(PrintLetter.objects.values_list("pk", "status"))
    assert statuses == {letters["a"].pk: "printed", letters["b"].pk: "queued"}
