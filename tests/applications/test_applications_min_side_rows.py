"""Min side's drafts and receipts read with SQL compiled once per connection
(``selectors.listed_rows_for_parties``, issue 13): the rows the ORM's query gives, for a
person, for organisations beside the person, and cut at the limit."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from iktipet.accounts.parties import ActingParty
from iktipet.applications import selectors
from iktipet.applications.models import Application
from support.applications import OLA, form_service, make_citizen, publish, text

ME = ActingParty("person", "", "Kari")
FIRM = ActingParty("organisation", "310000019", "Firma AS")
BOARD = ActingParty("organisation", "310000027", "Styret")
_numbers = itertools.count(1)


@pytest.fixture
def version(db):
    field = {"id": "x", "type": "text", "label": text("X")}
    step = {"id": "a", "title": text("A"), "fields": [field]}
    return publish(form_service([step]))


def _make(version, user, status, party: ActingParty | None = None) -> Application:
    organisation = party is not None and party.is_organisation
    submitted = status == Application.Status.SUBMITTED
    return Application.objects.create(
        reference=f"TEST-{next(_numbers)}" if submitted else None,
        submitted_at=timezone.now() if submitted else None,
        service_version=version,
        service_id="testskjema",
        applicant=user,
        status=status,
        party_kind=(
            Application.PartyKind.ORGANISATION if organisation else Application.PartyKind.PERSON
        ),
        party_identifier=party.identifier if organisation and party else "",
        party_name=party.name if organisation and party else "",
    )


def _orm(user, parties, limit) -> list[tuple]:
    return list(selectors.listed_for_parties(user, parties)[:limit])


def _same(compiled: list[tuple], orm: list[Application]) -> None:
    def columns(row: Application) -> tuple:
        return (
            row.pk,
            row.status,
            row.party_kind,
            row.party_identifier,
            row.reference,
            row.summary,
            row.updated_at,
            row.submitted_at,
            row.service_version.pk,
            row.service_version.content_hash,
        )

    assert sorted(compiled, key=str) == sorted(map(columns, orm), key=str)


def _named(found: list[tuple]) -> list[dict]:
    return [dict(zip(selectors.MIN_SIDE_FIELDS, row, strict=True)) for row in found]


@pytest.mark.parametrize("parties", [(ME,), (ME, FIRM), (ME, FIRM, BOARD), (FIRM,)])
def test_the_compiled_read_gives_the_orms_rows(version, kari, parties):
    ola = make_citizen(OLA, "Ola", "Nordmann-Test")
    draft = Application.Status.DRAFT
    sent = Application.Status.SUBMITTED
    for status in (draft, draft, sent):
        _make(version, kari, status)
        _make(version, kari, status, FIRM)
        _make(version, ola, status, BOARD)  # the board's, started by someone else
    _make(version, ola, draft)  # Ola's own: never Kari's
    for _round in range(2):  # the first read compiles and checks, the second reuses
        found = selectors.listed_rows_for_parties(kari, parties, 100)
        _same(found, _orm(kari, parties, 100))
    named = _named(found)
    assert all(row["party_kind"] == "person" or row["party_identifier"] for row in named)
    kinds = {row["party_identifier"] for row in named}
    assert kinds == {party.identifier if party.is_organisation else "" for party in parties}


def test_the_limit_is_kept(version, kari):
    for _index in range(5):
        _make(version, kari, Application.Status.DRAFT)
    found = selectors.listed_rows_for_parties(kari, (ME,), 3)
    assert len(found) == 3
    assert len(selectors.listed_rows_for_parties(kari, (ME,), 10)) == 5


def test_another_persons_values_are_not_reused(version, kari):
    ola = make_citizen(OLA, "Ola", "Nordmann-Test")
    mine = _make(version, kari, Application.Status.DRAFT)
    theirs = _make(version, ola, Application.Status.DRAFT)
    assert [row[0] for row in selectors.listed_rows_for_parties(kari, (ME,), 10)] == [mine.pk]
    assert [row[0] for row in selectors.listed_rows_for_parties(ola, (ME,), 10)] == [theirs.pk]
