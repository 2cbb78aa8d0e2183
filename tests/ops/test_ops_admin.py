"""Operators read the audit log and the domain events in the admin; others don't; nobody edits."""

from __future__ import annotations

import pytest
from django.urls import reverse

from iktipet.accounts.models import User
from iktipet.accounts.testing import sign_in_staff
from iktipet.core import audit
from iktipet.core.events import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(agencies):
    audit.record(None, "cases.read", ("cases.case", "c-1"), {"reference": "2026/000001"})
    return record_event(
        "case.status_changed",
        subject="cases/c-1",
        source="/agencies/naeringsetaten",
        agency=agencies["naeringsetaten"],
        data={"reference": "2026/000001"},
    )


def _admin_user(client, roles, username):
    sign_in_staff(client, roles, username=username)
    User.objects.filter(username=username).update(is_staff=True)


def test_an_operator_reads_the_audit_log_and_the_events_but_cannot_change_them(client, recorded):
    _admin_user(client, [(None, "operator")], "operator")
    audit_list = client.get(reverse("admin:core_auditevent_changelist"))
    assert audit_list.status_code == 200 and "cases.read" in audit_list.content.decode()
    events = client.get(reverse("admin:core_domainevent_changelist"))
    assert events.status_code == 200 and "no.iktipet.case.status_changed" in events.content.decode()
    change = reverse("admin:core_domainevent_change", args=[recorded.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"type": "tampered"}).status_code == 403
    assert client.get(reverse("admin:core_domainevent_add")).status_code == 403


def test_a_case_worker_does_not_see_them(client, recorded):
    _admin_user(client, [("naeringsetaten", "case_worker")], "sara")
    assert client.get(reverse("admin:core_auditevent_changelist")).status_code == 403
    assert client.get(reverse("admin:core_domainevent_changelist")).status_code == 403
