"""Alkoholloven § 1-7: a skjenkebevilling is granted only after the hearing bodies have been
heard (answered, or their deadline passed). Through the case worker's pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from iktipet.accounts.testing import sign_in_staff
from iktipet.cases.models import Case, Decision, HearingRequest
from support.cases import submitted_case

GRANT = {
    "outcome": "granted",
    "justification": "Vilkårene er oppfylt.",
    "legal_basis": "Alkoholloven § 1-7",
}


@pytest.fixture
def worker(client, agencies):
    return sign_in_staff(client, [("naeringsetaten", "case_worker")])


def _url(name, case, *args):
    return reverse(f"casework:{name}", args=[case.pk, *args])


def _under_review(client):
    case = submitted_case("skjenke", workflow="skjenkebevilling")
    assert client.post(_url("transition", case, "start_review")).status_code == 302
    return case


def test_a_grant_without_a_hearing_is_refused_with_the_bodies_named(client, worker):
    case = _under_review(client)
    r = client.post(_url("decide", case), GRANT)
    assert r.status_code == 400
    body = r.content.decode()
    assert "kan ikke innvilges før høringen er avsluttet" in body
    assert "Politiet" in body and "Sosialtjenesten" in body
    assert "Vilkårene er oppfylt." in body  # what was typed is kept
    assert not Decision.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).status == "under_review"
    # A partial grant is a grant too.
    r = client.post(_url("decide", case), {**GRANT, "outcome": "partly_granted"})
    assert r.status_code == 400


def test_a_refusal_needs_no_hearing(client, worker):
    case = _under_review(client)
    r = client.post(_url("decide", case), {**GRANT, "outcome": "refused"})
    assert r.status_code == 302
    assert Decision.objects.get(case=case).outcome == "refused"


def test_a_grant_after_every_body_answered(client, worker):
    case = _under_review(client)
    assert client.post(_url("hearing", case)).status_code == 302
    hearings = list(HearingRequest.objects.filter(case=case))
    for hearing in hearings[:-1]:
        client.post(_url("hearing_response", case, hearing.pk), {"has_remarks": "no"})
    # One body still silent within its deadline: the hearing cannot end, nor the grant come.
    assert client.post(_url("transition", case, "end_hearing")).status_code == 400
    client.post(_url("hearing_response", case, hearings[-1].pk), {"has_remarks": "no"})
    assert client.post(_url("transition", case, "end_hearing")).status_code == 302
    assert client.post(_url("decide", case), GRANT).status_code == 302
    assert Decision.objects.get(case=case).outcome == "granted"


def test_a_body_silent_past_its_deadline_counts_as_heard(client, worker):
    case = _under_review(client)
    assert client.post(_url("hearing", case)).status_code == 302
    police = HearingRequest.objects.get(case=case, body="politiet")
    for hearing in HearingRequest.objects.filter(case=case).exclude(pk=police.pk):
        client.post(_url("hearing_response", case, hearing.pk), {"has_remarks": "no"})
    # 20 days: the police still have a day of their 21.
    HearingRequest.objects.filter(pk=police.pk).update(
        sent_at=timezone.now() - dt.timedelta(days=20)
    )
    assert client.post(_url("transition", case, "end_hearing")).status_code == 400
    HearingRequest.objects.filter(pk=police.pk).update(
        sent_at=timezone.now() - dt.timedelta(days=22)
    )
    assert client.post(_url("transition", case, "end_hearing")).status_code == 302
    assert client.post(_url("decide", case), GRANT).status_code == 302
    assert Decision.objects.get(case=case).outcome == "granted"


def test_the_single_event_licence_hears_too(client, worker):
    case = submitted_case("enkelt", workflow="skjenkebevilling-enkelt-anledning")
    client.post(_url("transition", case, "start_review"))
    r = client.post(_url("decide", case), GRANT)
    assert r.status_code == 400
    assert not Decision.objects.filter(case=case).exists()
