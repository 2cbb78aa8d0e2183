"""Min side and the applicant's case page read a fixed number of SQL statements, however
many cases, parties, messages and claims there are (issue 13: both pages are hot, and a
section that went N+1 would silently cost a query per row)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from iktipet.accounts.parties import ActingParty
from iktipet.accounts.testing import sign_in_staff
from iktipet.cases import services
from support.cases import case_url, submitted_case
from support.pages import text_of

TESTGRILLEN = ActingParty("organisation", "310000019", "Testgrillen Restaurant AS")

#: Session, user, person, cases, neighbour notices, payments, threads, bookings (2),
#: applications; a decision adds one.
MIN_SIDE_MAX = 11
#: Session, user, case, the thread marked read, messages, attachments, timeline, claims,
#: payment orders.
CASE_PAGE_MAX = 9


def _statements(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


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
