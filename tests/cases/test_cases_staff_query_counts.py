"""The case worker's inbox and the staff case page read a fixed number of SQL statements,
however many messages, files, events, claims and cases there are (issue 13: both pages are
hot, and a part that went N+1 would silently cost a query per row). A view of a case is
audited every time; the thread's read marker is written only when the page shows a message
that is new to the reader."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iktipet.accounts.models import User
from iktipet.accounts.testing import sign_in_staff
from iktipet.cases import services
from iktipet.cases.models import Case
from iktipet.core.models import AuditEvent
from support.cases import PDF, submitted_case

#: The session with its user, the case (with how far the reader has read and the reader's
#: case roles in its agency), the audit row, the application's files, the timeline, the
#: messages with their files, the payment orders with their claims.
STAFF_CASE_MAX = 7
#: The session with its user, the case roles, and the page of cases with their unread counts
#: (one statement on a tab's first page without filters). The agencies and the service filter
#: are cached; "Mine saker" is the default when the page has an open case.
INBOX_MAX = 3
INBOX = reverse("casework:inbox")


@pytest.fixture
def worker(client, agencies):
    sign_in_staff(client, [("naeringsetaten", "case_worker")])
    return User.objects.get(username="staff-test")


def _captured(client: Client, url: str) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries], response.content.decode()


def _writes(sql: list[str]) -> list[str]:
    return [s for s in sql if s.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]


def _file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _fresh(case: Case) -> Case:
    return Case.objects.select_related("agency", "thread", "assignee").get(pk=case.pk)


def test_the_case_page_reads_the_same_few_statements_for_more_of_everything(client, worker):
    case = submitted_case(attachment=PDF)
    services.post_staff_message(_fresh(case), user=worker, body="Mottatt.", files=[_file("a.pdf")])
    url = reverse("casework:case", args=[case.pk])
    client.get(url)  # warm-up: per-process caches (agencies, definitions, templates)
    few, _body = _captured(client, url)
    assert len(few) <= STAFF_CASE_MAX, "\n".join(few)

    # Messages both ways with files, events, two claims: each a row of its own on the page.
    services.assign_case(_fresh(case), user=worker, assignee=worker)
    services.transition_case(_fresh(case), "start_review", user=worker, note="Vi ser på den.")
    services.request_information(
        _fresh(case), user=worker, body="Send tegningen.", files=[_file("krav.pdf")]
    )
    for index in range(3):
        services.post_citizen_message(
            _fresh(case), user=case.applicant, body=f"Svar {index}.", files=[_file(f"s{index}.pdf")]
        )
        services.post_staff_message(_fresh(case), user=worker, body=f"Takk {index}.")
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    for text in ("Befaring", "Sen rapport"):
        response = client.post(
            reverse("casework:claim", args=[case.pk]),
            {"text": text, "amount": "500", "reason": "Etter avtale.", "due_date": due},
        )
        assert response.status_code == 302, response.content.decode()[:500]

    client.get(url)  # the first view after the citizen's messages moves the read marker
    many, body = _captured(client, url)
    assert len(many) == len(few), "\n".join(many)  # no statement per message, file or claim
    for shown in ("krav.pdf", "s0.pdf", "s2.pdf", "Svar 2.", "Takk 2.", "Befaring", "Sen rapport"):
        assert shown in body
    assert body.count("Betalingskrav på") == 2  # the timeline has both claims too


def test_every_view_is_audited_and_the_read_marker_moves_only_for_something_new(client, worker):
    case = submitted_case()
    url = reverse("casework:case", args=[case.pk])
    services.post_citizen_message(_fresh(case), user=case.applicant, body="Et spørsmål.")
    assert "1 ulest melding" in client.get(INBOX + "?visning=alle").content.decode()
    audited = AuditEvent.objects.filter(action="cases.read", target_id=str(case.pk))
    before = audited.count()

    first, _body = _captured(client, url)
    # The audit row and the read marker (the first time an UPDATE finding none, an INSERT).
    assert ["core_auditevent" in s for s in _writes(first)] == [True, False, False]
    again, _body = _captured(client, url)
    assert [s.split(None, 2)[:2] for s in _writes(again)] == [["INSERT", "INTO"]]
    assert "core_auditevent" in _writes(again)[0]  # only the audit row: nothing new to read
    assert audited.count() == before + 2
    assert "ulest melding" not in client.get(INBOX + "?visning=alle").content.decode()

    services.post_citizen_message(_fresh(case), user=case.applicant, body="Ett til.")
    assert "1 ulest melding" in client.get(INBOX + "?visning=alle").content.decode()
    moved, _body = _captured(client, url)
    assert len(_writes(moved)) == 2  # the audit row and the marker, moved to the new message
    assert "ulest melding" not in client.get(INBOX + "?visning=alle").content.decode()


def test_a_message_written_after_the_page_read_the_thread_stays_unread(client, worker):
    """The marker moves to the newest message the page showed, not to "now"."""
    from iktipet.messaging.models import Message, ThreadRead

    case = submitted_case()
    services.post_citizen_message(_fresh(case), user=case.applicant, body="Et spørsmål.")
    client.get(reverse("casework:case", args=[case.pk]))
    shown = Message.objects.filter(thread_id=case.thread_id).latest("created_at")
    marker = ThreadRead.objects.get(thread_id=case.thread_id, user=worker)
    assert marker.last_read_at == shown.created_at


def test_the_inbox_reads_the_same_few_statements_for_a_full_page(client, worker):
    case = submitted_case()
    services.assign_case(_fresh(case), user=worker, assignee=worker)
    client.get(INBOX)  # warm-up
    few, body = _captured(client, INBOX)
    assert len(few) <= INBOX_MAX, "\n".join(few)
    assert 'aria-current="page">Mine saker' in body

    for index in range(27):  # more than a page (25), each with messages of its own
        cache.clear()  # the submit's rate limit per person, counted in the cache
        other = submitted_case(publish_service=False)
        services.assign_case(_fresh(other), user=worker, assignee=worker)
        services.post_staff_message(_fresh(other), user=worker, body=f"Mottatt {index}.")
        services.post_citizen_message(_fresh(other), user=other.applicant, body=f"Hei {index}.")
    client.get(INBOX)  # fills the caches emptied with the rate limits
    many, body = _captured(client, INBOX)
    assert len(many) == len(few), "\n".join(many)
    assert body.count("1 ulest melding") == 25
    assert 'rel="next"' in body


def test_the_inbox_without_own_cases_opens_on_unassigned_with_one_statement_more(client, worker):
    submitted_case()
    client.get(INBOX)
    sql, body = _captured(client, INBOX)
    # The unassigned page: the empty "Mine saker" page, read without filters, said that
    # the user has no open case here (no "any open case of mine?" query).
    assert len(sql) == INBOX_MAX + 1, "\n".join(sql)
    assert 'aria-current="page">Ufordelte saker' in body


def test_the_inbox_asks_for_open_own_cases_when_the_page_cannot_say(client, worker):
    """A search that finds none of the user's cases says nothing about the others: whether
    an open one exists is a query of its own, and "Mine saker" stays the tab."""
    case = submitted_case()
    services.assign_case(_fresh(case), user=worker, assignee=worker)
    client.get(INBOX)
    sql, body = _captured(client, INBOX + "?sok=nobody-at-all")
    assert len(sql) == INBOX_MAX + 1, "\n".join(sql)  # no counts (no rows), the question
    assert 'aria-current="page">Mine saker' in body


def test_the_inbox_links_each_case_to_its_page(client, worker):
    case = submitted_case()
    body = client.get(INBOX + "?visning=alle").content.decode()
    assert f'href="{reverse("casework:case", args=[case.pk])}"' in body


def test_a_link_service_of_the_agency_is_left_out_of_the_service_filter(client, worker):
    """A link service (kunnskapsprøven, booked elsewhere in the portal) has no workflow and no
    cases: the inbox's filter lists only services with cases (it answered 500 before)."""
    from pathlib import Path

    from django.conf import settings

    from iktipet.catalog.services import load_service_definitions

    submitted_case()
    load_service_definitions([Path(settings.SERVICES_DIR) / "kunnskapsproven.yaml"], publish=True)
    response = client.get(INBOX)
    assert response.status_code == 200
    assert 'value="testsak"' in response.content.decode()
    assert 'value="kunnskapsproven"' not in response.content.decode()


def test_a_decided_case_page_reads_its_decision_with_the_case(client, worker):
    """The decision comes with the case row (a LEFT JOIN), not a statement of its own."""
    case = submitted_case()
    services.decide_case(
        _fresh(case), user=worker, outcome="refused", justification="Stort.", legal_basis="§ 3."
    )
    url = reverse("casework:case", args=[case.pk])
    client.get(url)
    sql, body = _captured(client, url)
    assert len(sql) <= STAFF_CASE_MAX, "\n".join(sql)
    assert [s for s in sql if 'FROM "cases_decision"' in s] == []
    assert "Avslått" in body


def test_an_appeal_case_page_reads_the_appealed_decision_with_the_appeal(client, worker):
    """The appeal, the appealed decision and its case in one statement (through the ORM's
    descriptors and a read of the decision: three)."""
    case = submitted_case()
    decision = services.decide_case(
        _fresh(case), user=worker, outcome="refused", justification="Stort.", legal_basis="§ 3."
    )
    appeal_case = services.appeal_decision(
        decision, user=case.applicant, grounds="Parken er stor nok."
    )
    url = reverse("casework:case", args=[appeal_case.pk])
    client.get(url)
    sql, body = _captured(client, url)
    assert len(sql) <= STAFF_CASE_MAX + 1, "\n".join(sql)  # the appeal
    assert [s for s in sql if 'FROM "cases_decision"' in s] == []
    assert [s for s in sql if 'FROM "cases_case"' in s and "agency_id" not in s] == []
    assert case.reference in body and "Parken er stor nok." in body
