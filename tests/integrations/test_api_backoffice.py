"""A back office drives a case from received to decided through the API alone, over real
HTTP; the applicant sees each step on Min side. Writes are idempotent and conditional."""

from __future__ import annotations

import uuid

import httpx
import pytest
from django.test import Client

from support.backoffice import make_backoffice
from support.cases import KARI, PDF, case_url, submitted_case

PROBLEM = "application/problem+json"


@pytest.fixture
def case(backoffice):
    return submitted_case(attachment=PDF)


def test_the_back_office_moves_a_case_to_decided_and_the_applicant_sees_it(backoffice, case):
    from iktipet.accounts.testing import sign_in_citizen
    from iktipet.cases.models import Case, CaseEvent
    from iktipet.core.models import AuditEvent, DomainEvent
    from iktipet.messaging.models import Notification

    api = backoffice.http()
    read = api.get(f"/cases/{case.pk}")
    assert read.status_code == 200, read.text
    assert read.json()["status"] == "received"
    assert "start_review" in read.json()["transitions"]
    etag = read.headers["ETag"]

    moved = api.post(
        f"/cases/{case.pk}/status",
        json={"transition": "start_review", "note": "Tatt til behandling"},
        headers={"If-Match": etag, "Idempotency-Key": "k-1"},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "under_review"
    assert moved.headers["ETag"] != etag

    # The same write again with the same key: the first answer, and nothing happens twice.
    again = api.post(
        f"/cases/{case.pk}/status",
        json={"transition": "start_review", "note": "Tatt til behandling"},
        headers={"If-Match": etag, "Idempotency-Key": "k-1"},
    )
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == moved.json()
    assert CaseEvent.objects.filter(case=case, to_status="under_review").count() == 1
    # The key with another body is refused; a stale ETag is 412 and nothing changes.
    reused = api.post(
        f"/cases/{case.pk}/status",
        json={"transition": "decide"},
        headers={"Idempotency-Key": "k-1"},
    )
    assert reused.status_code == 422
    stale = api.post(f"/cases/{case.pk}/messages", json={"body": "Hei"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["Content-Type"] == PROBLEM

    message = api.post(
        f"/cases/{case.pk}/messages",
        json={"body": "Vi ser på saken din nå."},
        headers={"Idempotency-Key": "k-2"},
    )
    assert message.status_code == 201, message.text

    decided = api.post(
        f"/cases/{case.pk}/decision",
        data={
            "outcome": "granted",
            "justification": "Arrangementet oppfyller vilkårene.",
            "legal_basis": "Politiloven § 11",
        },
        files={"letter": ("vedtak.pdf", PDF, "application/pdf")},
        headers={"Idempotency-Key": "k-3"},
    )
    assert decided.status_code == 201, decided.text
    case.refresh_from_db()
    assert case.status == "decided"

    # The same rules as at the staff pages: a decided case cannot be decided again.
    twice = api.post(
        f"/cases/{case.pk}/decision",
        data={"outcome": "refused", "justification": "x", "legal_basis": "y"},
    )
    assert twice.status_code == 422
    assert twice.headers["Content-Type"] == PROBLEM

    documents = api.get(f"/cases/{case.pk}/documents").json()
    kinds = {d["kind"] for d in documents}
    assert {"attachment", "decision_letter"} <= kinds
    letter = next(d for d in documents if d["kind"] == "decision_letter")
    pdf = api.get(letter["url"].split("/api/v1", 1)[1])
    assert pdf.status_code == 200
    assert pdf.content == PDF  # the back office's own letter, kept as the decision letter
    attachment = next(d for d in documents if d["kind"] == "attachment")
    assert api.get(attachment["url"].split("/api/v1", 1)[1]).content == PDF

    timeline = api.get(f"/cases/{case.pk}/timeline").json()
    assert [e["to_status"] for e in timeline if e["kind"] == "status_changed"][-2:] == [
        "under_review",
        "decided",
    ]

    # Same audit rows, events and notifications as the staff pages write.
    backoffice.api_client.refresh_from_db()
    actor = backoffice.api_client.service_user
    assert AuditEvent.objects.filter(action="cases.decided", actor=actor).exists()
    assert AuditEvent.objects.filter(action="cases.start_review", actor=actor).exists()
    assert DomainEvent.objects.filter(subject=f"cases/{case.pk}", type__endswith="decided")
    assert set(Notification.objects.values_list("event", flat=True)) >= {
        "case.message",
        "case.decided",
    }
    assert (
        AuditEvent.objects.filter(
            action="api.call", details__orgnr=backoffice.api_client.orgnr
        ).count()
        >= 8
    )

    kari = Client()
    sign_in_citizen(kari, KARI)
    page = kari.get(case_url(case))
    assert page.status_code == 200
    text = page.content.decode()
    assert Case.objects.get(pk=case.pk).status_label in text
    assert "Vi ser på saken din nå." in text


def test_list_filters_and_cursor_paging(backoffice):
    first = submitted_case()
    second = submitted_case(publish_service=False)
    third = submitted_case(publish_service=False)
    api = backoffice.http()
    page = api.get("/cases", params={"limit": 2})
    assert page.status_code == 200, page.text
    body = page.json()
    assert [c["id"] for c in body["items"]] == [str(third.pk), str(second.pk)]
    rest = api.get("/cases", params={"limit": 2, "cursor": body["next_cursor"]}).json()
    assert [c["id"] for c in rest["items"]] == [str(first.pk)]
    assert rest["next_cursor"] is None
    assert api.get("/cases", params={"status": "decided"}).json()["items"] == []
    assert len(api.get("/cases", params={"service": "testsak"}).json()["items"]) == 3
    future = "2999-01-01T00:00:00+00:00"
    assert api.get("/cases", params={"changed_since": future}).json()["items"] == []
    # Offsets ISO 8601 allows and PostgreSQL does not (beyond ±15:59), and instants at the
    # calendar's ends: the same answer as in UTC, never a 500.
    for since, found in [
        ("5950-06-04T20:52:05-18:00", 0),
        ("2000-01-01T00:00:00+23:59", 3),
        ("0001-01-01T00:30:00+01:00", 3),
        ("9999-12-31T23:30:00-01:00", 0),
    ]:
        listed = api.get("/cases", params={"changed_since": since})
        assert listed.status_code == 200, (since, listed.text)
        assert len(listed.json()["items"]) == found, since
    bad = api.get("/cases", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 400
    assert bad.headers["Content-Type"] == PROBLEM


def test_another_agencys_case_is_404_for_every_resource(api_site, backoffice):
    case = submitted_case()
    other = make_backoffice(api_site, "910000009", ["utdanningsetaten"])
    api = other.http()
    for path in ("", "/timeline", "/documents", "/application"):
        response = api.get(f"/cases/{case.pk}{path}")
        assert response.status_code == 404, path
        assert response.headers["Content-Type"] == PROBLEM
    moved = api.post(f"/cases/{case.pk}/status", json={"transition": "start_review"})
    assert moved.status_code == 404
    assert api.get("/cases").json()["items"] == []
    assert api.get(f"/cases/{uuid.uuid4()}").status_code == 404
    assert api.get("/cases/not-a-uuid").status_code == 404
    case.refresh_from_db()
    assert case.status == "received"


def test_the_application_answers_in_the_v1_shape(backoffice):
    case = submitted_case(navn="Vårfest")
    body = backoffice.http().get(f"/cases/{case.pk}/application").json()
    assert body["schema"] == "iktipet.application/v1"
    assert body["service"] == "testsak"
    assert body["answers"]["navn"] == "Vårfest"
    assert body["service_version"] >= 1


def test_bad_input_is_400_never_500(backoffice):
    case = submitted_case()
    api = backoffice.http()
    url = f"/cases/{case.pk}/status"
    headers = {"Content-Type": "application/json"}
    assert api.post(url, content=b"{not json", headers=headers).status_code == 400
    assert api.post(url, json={"transition": 5}).status_code == 400
    unknown = api.post(url, json={"transition": "start_review", "evil": 1})
    assert unknown.status_code == 400
    assert unknown.headers["Content-Type"] == PROBLEM
    assert api.post(url, json={"transition": "no-such"}).status_code == 422
    case.refresh_from_db()
    assert case.status == "received"


def test_the_event_feed_pages_with_a_cursor(backoffice, monkeypatch):
    import datetime as dt

    monkeypatch.setattr("iktipet.integrations.selectors.FEED_SETTLE", dt.timedelta(0))
    case = submitted_case()
    api = backoffice.http()
    api.post(f"/cases/{case.pk}/status", json={"transition": "start_review"})
    first = api.get("/events", params={"limit": 1}).json()
    assert len(first["items"]) == 1
    rest = api.get("/events", params={"after": first["next_cursor"]}).json()
    types = [e["type"] for e in first["items"] + rest["items"]]
    assert "no.iktipet.case.status_changed" in types
    event = first["items"][0]
    assert event["specversion"] == "1.0"
    assert event["subject"] == f"cases/{case.pk}"
    assert KARI not in str(first) + str(rest)
    empty = api.get("/events", params={"after": rest["next_cursor"]}).json()
    assert empty == {"items": [], "next_cursor": None}
    assert httpx.get(f"{backoffice.base}/api/v1/events", timeout=10).status_code == 401


def test_a_huge_body_is_413_problem_and_nothing_changes(backoffice):
    case = submitted_case()
    api = backoffice.http()
    huge = b'{"transition": "start_review", "note": "' + b"x" * 3_000_000 + b'"}'
    response = api.post(
        f"/cases/{case.pk}/status", content=huge, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["Content-Type"] == PROBLEM
    case.refresh_from_db()
    assert case.status == "received"
