"""The inbox over HTTP and through inbox_page: tabs, filters, search, keyset pages, agencies."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from iktipet.accounts.testing import sign_in_staff
from iktipet.cases import inbox
from iktipet.cases.models import Case
from support.cases import OLA, submitted_case

URL = reverse("casework:inbox")


def _refs(response) -> list[str]:
    return re.findall(r">(\d{4}/\d{6})</a>", response.content.decode())


@pytest.fixture
def worker(client, agencies):
    return sign_in_staff(client, [("naeringsetaten", "case_worker")])


def _spread(cases):
    """Distinct receipt times, newest last created, a minute apart."""
    base = timezone.now() - dt.timedelta(days=1)
    for n, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(received_at=base + dt.timedelta(minutes=n))


def test_tabs_default_to_unassigned_then_mine(client, worker):
    mine = submitted_case()
    other = submitted_case(publish_service=False)
    page = client.get(URL)
    assert page.status_code == 200
    assert set(_refs(page)) == {mine.reference, other.reference}
    assert 'aria-current="page">Ufordelte saker' in page.content.decode()
    Case.objects.filter(pk=mine.pk).update(assignee=worker)
    page = client.get(URL)
    assert 'aria-current="page">Mine saker' in page.content.decode()
    assert _refs(page) == [mine.reference]
    assert _refs(client.get(URL + "?visning=ufordelt")) == [other.reference]
    assert set(_refs(client.get(URL + "?visning=alle"))) == {mine.reference, other.reference}


def test_another_agencys_cases_are_never_listed(client, worker):
    ours = submitted_case()
    theirs = submitted_case("bhg", workflow="barnehage")
    refs = _refs(client.get(URL + "?visning=alle&virksomhet=utdanningsetaten"))
    assert refs == [ours.reference]  # an agency the worker has no role in is ignored
    page = inbox.inbox_page(worker, theirs.agency, view="all")
    assert page.rows == []


def test_filters_and_closed_toggle(client, worker):
    first = submitted_case()
    second = submitted_case("annen", title="Annen søknad")
    Case.objects.filter(pk=second.pk).update(status="under_review")
    assert _refs(client.get(URL + "?visning=alle&tjeneste=annen")) == [second.reference]
    assert _refs(client.get(URL + "?visning=alle&status=under_review")) == [second.reference]
    Case.objects.filter(pk=first.pk).update(status="closed", is_open=False)
    assert _refs(client.get(URL + "?visning=alle")) == [second.reference]
    assert first.reference in _refs(client.get(URL + "?visning=alle&lukkede=1"))


def test_overdue_by_due_date_or_passed_answer_deadline(client, worker):
    late, waiting, fine = (submitted_case(publish_service=n == 0) for n in range(3))
    Case.objects.filter(pk=late.pk).update(due_date=dt.date(2020, 1, 1))
    Case.objects.filter(pk=waiting.pk).update(
        status="waiting_for_applicant", waiting_until=timezone.now() - dt.timedelta(hours=1)
    )
    page = client.get(URL + "?visning=alle&forfalt=1")
    assert set(_refs(page)) == {late.reference, waiting.reference}
    assert "Overtid" in page.content.decode()  # marked in text, not colour only
    assert fine.reference in _refs(client.get(URL + "?visning=alle"))


def test_search_by_number_reference_and_name(client, worker):
    kari = submitted_case()
    ola = submitted_case(pid=OLA, name=("Ola", "Nordmann-Test"), publish_service=False)
    Case.objects.filter(pk=ola.pk).update(
        party_name="Ola Nordmann-Test", search_name="ola nordmann-test"
    )
    assert _refs(client.get(URL, {"visning": "alle", "sok": kari.reference})) == [kari.reference]
    assert _refs(client.get(URL, {"visning": "alle", "sok": f"{ola.sequence:06d}"})) == [
        ola.reference
    ]
    ref = kari.application.reference
    assert _refs(client.get(URL, {"visning": "alle", "sok": ref})) == [kari.reference]
    assert _refs(client.get(URL, {"visning": "alle", "sok": "OLA nord"})) == [ola.reference]
    assert _refs(client.get(URL, {"visning": "alle", "sok": "nordmann"})) == []  # prefix only


def test_keyset_pages_forward_and_back_without_gaps(client, worker):
    cases = [submitted_case(publish_service=n == 0) for n in range(7)]
    _spread(cases)
    expected = [c.reference for c in reversed(cases)]  # newest first
    seen, url, pages = [], URL + "?visning=alle", []
    client.get(url)
    while url:
        response = client.get(url) if url.startswith("/") else client.get(URL + url)
        body = response.content.decode()
        pages.append(_refs(response))
        seen += pages[-1]
        found = re.search(r'href="([^"]+)" rel="next"', body)
        url = found.group(1).replace("&amp;", "&") if found else ""
    assert seen == expected  # no duplicates, no gaps


def test_inbox_page_cursors(worker):
    cases = [submitted_case(publish_service=n == 0) for n in range(7)]
    _spread(cases)
    agency = cases[0].agency
    first = inbox.inbox_page(worker, agency, view="all", limit=3)
    assert first.previous_cursor is None
    second = inbox.inbox_page(worker, agency, view="all", limit=3, after=first.next_cursor)
    third = inbox.inbox_page(worker, agency, view="all", limit=3, after=second.next_cursor)
    assert third.next_cursor is None
    assert [c.pk for c in first.rows + second.rows + third.rows] == [c.pk for c in reversed(cases)]
    back = inbox.inbox_page(worker, agency, view="all", limit=3, before=third.previous_cursor)
    assert [c.pk for c in back.rows] == [c.pk for c in second.rows]
    start = inbox.inbox_page(worker, agency, view="all", limit=3, before=back.previous_cursor)
    assert [c.pk for c in start.rows] == [c.pk for c in first.rows]
    assert start.previous_cursor is None
    with pytest.raises(inbox.InvalidCursor):
        inbox.inbox_page(worker, agency, view="all", after="not-a-cursor")


def test_bad_cursor_is_the_first_page(client, worker):
    case = submitted_case()
    for query in ("?etter=garbage", "?foer=garbage"):
        response = client.get(URL + query + "&visning=alle")
        assert response.status_code == 200
        assert _refs(response) == [case.reference]


def test_query_count_is_constant(client, worker, django_assert_max_num_queries):
    submitted_case()
    with django_assert_max_num_queries(30) as few:
        client.get(URL + "?visning=alle")
    baseline = len(few.captured_queries)
    for _ in range(6):
        submitted_case(publish_service=False)
    with django_assert_max_num_queries(baseline):
        response = client.get(URL + "?visning=alle")
    assert len(_refs(response)) == 7


def test_unread_marker_for_citizen_messages(client, worker):
    from iktipet.cases import services

    case = submitted_case()
    services.post_citizen_message(case, user=case.applicant, body="Hei, et spørsmål.")
    assert "1 ulest melding" in client.get(URL + "?visning=alle").content.decode()
    client.get(reverse("casework:case", args=[case.pk]))  # reading marks it read
    assert "ulest melding" not in client.get(URL + "?visning=alle").content.decode()


def test_agency_picker_for_staff_in_several_agencies(client, agencies):
    sign_in_staff(client, [("naeringsetaten", "case_worker"), ("utdanningsetaten", "case_worker")])
    bhg = submitted_case("bhg", workflow="barnehage")
    ours = submitted_case()
    assert _refs(client.get(URL + "?visning=alle")) in ([ours.reference], [bhg.reference])
    assert _refs(client.get(URL + "?visning=alle&virksomhet=utdanningsetaten")) == [bhg.reference]
    assert _refs(client.get(URL + "?visning=alle&virksomhet=naeringsetaten")) == [ours.reference]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"visning": "ufordelt"},
        {"visning": "alle", "lukkede": "1", "forfalt": "1"},
        {"visning": "mine", "sok": "visning=alle&visning=mine visning mine"},
        {"visning": "alle", "sok": "Kari", "status": "received", "tjeneste": "testsak"},
    ],
)
def test_each_tab_keeps_the_filters_with_its_own_visning(client, worker, query):
    submitted_case()
    response = client.get(URL, query)
    context = response.context
    base = {key: value for key, value in context["filters"].items() if value}
    expected = {
        tab: "?" + urlencode({**base, "visning": tab}) for tab in ("mine", "ufordelt", "alle")
    }
    assert {tab["param"]: tab["url"] for tab in context["tabs"]} == expected
