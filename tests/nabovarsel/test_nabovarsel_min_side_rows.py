"""Min side's neighbour notices read with SQL compiled once per connection
(``selectors.compiled_for_neighbour_parties`` through ``accounts.my_page.section_rows``, after
the page's one-statement probe of every section; issue 13): the notices the ORM's query
gives, in its order, for each neighbour as themselves and for the organisations they act for."""

from __future__ import annotations

import pytest
from django.http import HttpRequest

from iktipet.accounts.models import Person
from iktipet.accounts.my_page import PageParties, section_rows
from iktipet.accounts.parties import ActingParty
from iktipet.accounts.pid import pid_lookup_hash
from iktipet.nabovarsel.models import NeighbourNotice
from iktipet.nabovarsel.selectors import (
    compiled_for_neighbour_parties,
    notices_for_neighbour_parties,
)
from support.nabovarsel import FATIMA, JONAS, KARI, NORA, signed_in, submit_nabovarsel

ME = ActingParty("person", "", "")
COMPANY = ActingParty("organisation", "310000027", "Dahl Eksempelbygg AS")
ELSEWHERE = ActingParty("organisation", "310000019", "Annet AS")
NO_ORGNR = ActingParty("organisation", "", "Uten orgnr")


def _user(pid: str):
    signed_in(pid)
    return Person.objects.get(pid_hash=pid_lookup_hash(pid)).user


def _compiled(user, parties, limit: int) -> list[NeighbourNotice] | None:
    if compiled_for_neighbour_parties(user, parties) is None:
        return None
    request = HttpRequest()  # a new request each time: the probe is asked once a request
    request.user = user
    request._iktipet_page_parties = PageParties(parties, parties, "")  # type: ignore[attr-defined]
    return section_rows(request, "nabovarsel.notices", limit)


@pytest.mark.parametrize(
    "parties",
    [(ME,), (ME, COMPANY), (ME, ELSEWHERE, COMPANY), (COMPANY,), (ME, NO_ORGNR, COMPANY)],
)
def test_the_compiled_read_gives_the_orms_notices(nabovarsel_service, parties):
    submit_nabovarsel()
    submit_nabovarsel(gnr="901", bnr="12", dispensation=False)
    for pid in (FATIMA, NORA, JONAS, KARI):
        user = _user(pid)
        for limit in (50, 1):
            orm = list(notices_for_neighbour_parties(user, parties)[:limit])
            for _round in range(2):  # the first read compiles and checks, the second reuses
                found = _compiled(user, parties, limit)
                assert [notice.pk for notice in found or []] == [notice.pk for notice in orm]
    jonas = _compiled(_user(JONAS), parties, 50) or []
    assert any(notice.orgnr == COMPANY.identifier for notice in jonas) == (COMPANY in parties)
    assert _compiled(_user(KARI), parties, 50) == []  # the applicant is not her own neighbour


def test_nothing_is_read_when_no_party_can_be_addressed(nabovarsel_service):
    submit_nabovarsel()
    assert _compiled(_user(FATIMA), (NO_ORGNR,), 50) is None
