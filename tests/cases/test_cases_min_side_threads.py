"""Min side reads the cases with their threads' figures in one statement, or with the page's
probe (``cases.my_page._case_rows``, ``accounts.my_page.CarriedRows``; issue 13): the same
cases, in the same order, and per thread the same count, latest message and unread messages
as ``case_rows_for_citizen_parties`` and ``messaging.selectors.thread_overview`` give, read
as two statements."""

from __future__ import annotations

from django.db import connection, connections
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext

from iktipet.accounts.models import Person
from iktipet.accounts.my_page import PageParties, _probed, carried_rows
from iktipet.accounts.parties import ActingParty
from iktipet.accounts.pid import pid_lookup_hash
from iktipet.cases import my_page, services
from iktipet.cases.selectors import CASE_ROW_FIELDS, case_rows_for_citizen_parties
from iktipet.messaging.selectors import thread_overview
from iktipet.messaging.services import mark_read
from support.cases import KARI, submitted_case

ME = ActingParty("person", "", "")
TESTGRILLEN = ActingParty("organisation", "310000019", "Testgrillen Restaurant AS")


def _request(user, parties) -> HttpRequest:
    request = HttpRequest()
    request.user = user
    request._iktipet_page_parties = PageParties(parties, parties, "")  # type: ignore[attr-defined]
    return request


def _as_two_statements(user, parties):
    cases = case_rows_for_citizen_parties(user, parties, my_page.LIMIT + 1)
    ids = [case[-1] for case in cases if case[-1]]
    return cases, thread_overview(user, ids, side_of_reader="citizen")


def _one_statement(request):
    """The cases' columns (the threads' figures come after them) and the threads."""
    cases, threads = my_page._case_rows(request)
    return [tuple(case[: len(CASE_ROW_FIELDS)]) for case in cases], threads


def test_the_one_statement_gives_what_the_two_gave(kari, staff):
    quiet = submitted_case()  # no messages
    read = submitted_case(publish_service=False)
    unread = submitted_case(publish_service=False, acting_for=TESTGRILLEN)
    user = Person.objects.get(pid_hash=pid_lookup_hash(KARI)).user
    for case in (read, unread):
        services.post_staff_message(case, user=staff, body="Vi har sett på saken.")
        services.post_citizen_message(case, user=user, body="Takk.")
    mark_read(read.thread, user)  # read up to now: none unread
    services.post_staff_message(unread, user=staff, body="Én ting til.")
    for parties in [(ME,), (ME, TESTGRILLEN), (TESTGRILLEN,)]:
        for _round in range(2):  # the first read compiles, the second reuses
            request = _request(user, parties)
            with CaptureQueriesContext(connection) as captured:
                found = _one_statement(request)
            assert len(captured.captured_queries) == 1
            assert found == _as_two_statements(user, parties)
            # Read with the page's probe (carried), the same rows.
            request = _request(user, parties)
            with CaptureQueriesContext(connection) as captured:
                _probed(request)
            assert len(captured.captured_queries) == 1
            assert carried_rows(request, "cases.with_threads") is not None
            with CaptureQueriesContext(connection) as captured:
                found = _one_statement(request)
            assert captured.captured_queries == []
            assert found == _as_two_statements(user, parties)
    assert all(
        compiled is not None for compiled in my_page._with_threads[connections["default"]].values()
    )
    cases, threads = _one_statement(_request(user, (ME, TESTGRILLEN)))
    assert {case[0] for case in cases} == {quiet.pk, read.pk, unread.pk}
    assert quiet.thread_id not in threads
    assert (threads[read.thread_id]["count"], threads[read.thread_id]["unread"]) == (2, 0)
    assert threads[unread.thread_id]["count"] == 3 and threads[unread.thread_id]["unread"] >= 1
