"""Min side and the applicant's case page read a fixed number of SQL statements, however
many cases, parties, messages and claims there are (issue 13: both pages are hot, and a
section that went N+1 would silently cost a query per row)."""

from __future__ import annotations

import datetime as dt

from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iktipet.accounts.parties import ActingParty
from iktipet.accounts.testing import sign_in_staff
from iktipet.cases import services
from iktipet.core import rows
from support.cases import case_url, submitted_case
from support.pages import text_of

TESTGRILLEN = ActingParty("organisation", "310000019", "Testgrillen Restaurant AS")

#: Session, user, person, cases, neighbour notices, payments, threads, bookings (2),
#: applications; a decision adds one.
MIN_SIDE_MAX = 11
#: The session with its user, the case (with the reader's marker of its thread), the
#: messages with their files, the timeline, the payment orders with their claims; the marker
#: is written only when a message is new to the reader.
CASE_PAGE_MAX = 5


def _statements(client: Client, url: str) -> int:
    return len(_sql(client, url))


def _sql(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def _writes(sql: list[str]) -> list[str]:
    return [s for s in sql if s.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]


#: The reads of these pages through core.rows, by the first part of their keys.
PAGE_READS = ("cases.", "messaging.", "booking.min_side.", "payments.min_side.")


def _all_compiled_once() -> None:
    """Every read the pages make through core.rows ran its compiled SQL: none fell back to
    the ORM because its parameters were not the ones the ORM compiled."""
    compiled = rows._compiled[connections["default"]]
    ours = {
        key: query for key, query in compiled.items() if str(key).strip("('").startswith(PAGE_READS)
    }
    assert len(ours) >= 5
    assert [key for key, query in ours.items() if query is None] == []


def _more_of_everything(worker) -> None:
    """Two more cases for Kari and for Testgrillen, each with messages; one waits for Kari."""
    for party in (None, TESTGRILLEN, None, TESTGRILLEN):
        case = submitted_case(publish_service=False, acting_for=party)
        services.post_staff_message(case, user=worker, body="Vi har sett på saken.")
        services.post_staff_message(case, user=worker, body="Én ting til.")
    services.request_information(case, user=worker, body="Send tegningen.", answer_days=14)


def test_min_side_reads_the_same_few_statements_for_many_cases_and_parties(kari, staff):
    submitted_case()
    submitted_case(publish_service=False, acting_for=TESTGRILLEN)
    url = reverse("accounts:my_page")
    kari.get(url)  # warm-up: per-process caches (agencies, definitions)
    few = _statements(kari, url)
    assert few <= MIN_SIDE_MAX

    _more_of_everything(staff)
    body = text_of(kari.get(url))
    assert body.count("Testsøknad , sak") == 6  # every case is listed…
    assert "Testgrillen Restaurant AS" in body and "Saksbehandleren ber om mer" in body
    assert _statements(kari, url) == few  # …with no statement per case, thread or party
    _all_compiled_once()


def test_the_case_page_reads_the_same_few_statements_with_messages_and_claims(kari, staff):
    office = Client()
    sign_in_staff(office, [("naeringsetaten", "case_worker")])
    case = submitted_case()
    services.post_staff_message(case, user=staff, body="Vi har sett på saken.")
    kari.get(case_url(case))
    few = _statements(kari, case_url(case))
    assert few <= CASE_PAGE_MAX

    for body in ("Andre melding.", "Tredje melding."):
        services.post_staff_message(case, user=staff, body=body)
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    for text in ("Befaring", "Sen rapport"):
        response = office.post(
            reverse("casework:claim", args=[case.pk]),
            {"text": text, "amount": "500", "reason": "Etter avtale.", "due_date": due},
        )
        assert response.status_code == 302, response.content.decode()[:500]
    page = text_of(kari.get(case_url(case)))
    assert "Tredje melding." in page and "Befaring" in page and "Sen rapport" in page
    assert _statements(kari, case_url(case)) == few
    _all_compiled_once()


def test_the_case_page_moves_the_read_marker_only_to_a_new_message(kari, staff):
    from iktipet.messaging.models import Message, ThreadRead

    case = submitted_case()
    assert _writes(_sql(kari, case_url(case))) == []  # no message: nothing to mark read
    services.post_staff_message(case, user=staff, body="Vi har sett på saken.")
    shown = Message.objects.filter(thread_id=case.thread_id).latest("created_at")
    first = _writes(_sql(kari, case_url(case)))  # the marker's first row (UPDATE, INSERT)
    assert first and all("messaging_threadread" in sql for sql in first)
    marker = ThreadRead.objects.get(thread_id=case.thread_id, user_id=case.applicant_id)
    assert marker.last_read_at == shown.created_at  # the newest message shown, not "now"
    assert _writes(_sql(kari, case_url(case))) == []  # nothing new since


def test_a_decided_case_page_reads_its_decision_with_the_case(kari, staff):
    """The decision comes with the case row (a LEFT JOIN), not a statement of its own; the
    decision's appeals are one more."""
    case = submitted_case()
    services.decide_case(
        case, user=staff, outcome="refused", justification="For stort.", legal_basis="§ 3."
    )
    kari.get(case_url(case))  # the first view delivers the decision (an UPDATE)
    sql = _sql(kari, case_url(case))
    assert len(sql) <= CASE_PAGE_MAX + 1
    assert [s for s in sql if 'FROM "cases_decision"' in s] == []
    assert "For stort." in text_of(kari.get(case_url(case)))


def test_an_appeal_case_page_reads_its_appeal_in_one_statement(kari, staff):
    """An appeal case's page reads the appeal with the appealed decision and its case in one
    statement (through the ORM's descriptors: three), and the original case's page its
    appeals in one, each compiled once."""
    case = submitted_case()
    decision = services.decide_case(
        case, user=staff, outcome="refused", justification="For stort.", legal_basis="§ 3."
    )
    kari.get(case_url(case))  # delivers the decision
    appeal_case = services.appeal_decision(
        decision, user=case.applicant, grounds="Parken er stor nok."
    )
    kari.get(case_url(appeal_case))
    sql = _sql(kari, case_url(appeal_case))
    appeals = [s for s in sql if 'FROM "cases_appeal"' in s]
    assert len(appeals) == 1 and 'JOIN "cases_decision"' in appeals[0]
    assert [s for s in sql if 'FROM "cases_decision"' in s] == []
    assert f"Dette er en klage på vedtaket i sak {case.reference}." in text_of(
        kari.get(case_url(appeal_case))
    )
    sql = _sql(kari, case_url(case))
    assert len([s for s in sql if 'FROM "cases_appeal"' in s]) == 1
    assert f"klagesak {appeal_case.reference}" in text_of(kari.get(case_url(case)))
    _all_compiled_once()
