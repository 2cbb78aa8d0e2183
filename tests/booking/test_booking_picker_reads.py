"""The picker's week (issue 13): built in Python from reads compiled once per connection
(core.rows), with the same HTML as the template made: each time's state and tag, a closed
day's reason escaped, the statements per page pinned."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from iktipet.accounts.testing import sign_in_citizen
from iktipet.booking import selectors, timetable
from iktipet.booking.forms import slot_value
from iktipet.booking.models import Closure, OpeningRule, Slot
from support.booking import make_resource

pytestmark = pytest.mark.django_db

# Monday 8 February 2027, 09:30 in Oslo.
NOW = datetime(2027, 2, 8, 8, 30, tzinfo=UTC)

#: The session with its user (one statement: core.sessions), and the resource's columns the
#: page uses with its rules, closures and slot counters (selectors.picker_week).
PICKER_STATEMENTS = 2


def at(day: date, hour: int) -> datetime:
    return timetable.local_instant(day, timetable.time(hour))


def test_the_week_is_read_in_two_statements_and_shows_every_state(
    client, agencies, offline_settings, caplog
):
    desk = make_resource(agencies["bymiljoetaten"], capacity=2, hours=((9, 12),))
    Closure.objects.create(resource=desk, date=date(2027, 2, 10), reason="Vann <lekkasje>")
    full, one_left = at(date(2027, 2, 9), 9), at(date(2027, 2, 9), 10)
    for moment, taken in ((full, 2), (one_left, 1)):
        Slot.objects.create(
            resource=desk, starts_at=moment, ends_at=moment, capacity=2, taken=taken
        )
    sign_in_citizen(client)
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        client.get(f"/timebestilling/{desk.slug}/")  # compiles the reads on this connection
        with (
            caplog.at_level(logging.WARNING, logger="iktipet.core.rows"),
            CaptureQueriesContext(connection) as queries,
        ):
            page = client.get(f"/timebestilling/{desk.slug}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert len(queries) == PICKER_STATEMENTS, [q["sql"][:120] for q in queries]
    assert not caplog.records  # no read fell back to the ORM (parameters as compiled)

    def time_of(moment: datetime) -> str:
        start = html.index(f'value="{slot_value(moment)}"')
        return html[html.rindex("<li", 0, start) : html.index("</li>", start)]

    # 09:00 today has begun: not bookable; 10:00 is free.
    assert " disabled>" in time_of(at(date(2027, 2, 8), 9))
    assert "Kan ikke bestilles" in time_of(at(date(2027, 2, 8), 9))
    assert 'data-color="success">2 ledige plasser' in time_of(at(date(2027, 2, 8), 10))
    assert " disabled>" in time_of(full) and 'data-color="danger">Fullt' in time_of(full)
    assert 'data-color="warning">1 ledig plass' in time_of(one_left)
    assert " disabled" not in time_of(one_left)
    assert 'id="slot-20270209-2"' in time_of(one_left)
    assert '<label class="ds-label" for="slot-20270209-2">10:00–11:00 ' in time_of(one_left)
    assert 'id="day-20270209">tirsdag 9. februar</h2>' in html
    assert "Stengt: Vann &lt;lekkasje&gt;" in html
    assert "Ledige tidspunkt 8. februar–14. februar 2027" in html


def test_a_refused_choice_stays_checked_and_the_english_week_is_english(
    client, agencies, offline_settings, settings
):
    desk = make_resource(
        agencies["bymiljoetaten"],
        capacity=1,
        hours=((9, 12),),
        topics=[{"value": "parking", "nb": "Parkering", "en": "Parking"}],
    )
    sign_in_citizen(client)
    chosen = at(date(2027, 2, 9), 11)
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        refused = client.post(f"/timebestilling/{desk.slug}/", {"slot": slot_value(chosen)})
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = client.get(f"/timebestilling/{desk.slug}/").content.decode()
    assert refused.status_code == 400  # no topic chosen
    html = refused.content.decode()
    checked = html.index(f'value="{slot_value(chosen)}"')
    assert html[checked:].startswith(f'value="{slot_value(chosen)}" checked>')
    assert html.count(" checked") == 1
    assert "Available times 8. February–14. February 2027" in english
    assert 'id="day-20270209">Tuesday 9. February</h2>' in english
    assert 'data-color="warning">1 place left</span>' in english


def test_a_day_kept_from_an_earlier_page_shows_what_has_changed_since(
    client, agencies, offline_settings
):
    # The days' HTML is kept per process by its state: a place taken, the clock passing a
    # time's start, a time chosen or being moved from each make another page of the day.
    desk = make_resource(agencies["bymiljoetaten"], capacity=2, hours=((9, 12),))
    ten, eleven = at(date(2027, 2, 9), 10), at(date(2027, 2, 9), 11)
    sign_in_citizen(client)

    def time_of(moment: datetime, *, now: datetime = NOW, query: str = "") -> str:
        with mock.patch("iktipet.booking.clock.now", return_value=now):
            html = client.get(f"/timebestilling/{desk.slug}/{query}").content.decode()
        start = html.index(f'value="{slot_value(moment)}"')
        return html[html.rindex("<li", 0, start) : html.index("</li>", start)]

    assert "2 ledige plasser" in time_of(ten)
    Slot.objects.create(resource=desk, starts_at=ten, ends_at=ten, capacity=2, taken=1)
    assert "1 ledig plass" in time_of(ten)
    Slot.objects.filter(starts_at=ten).update(taken=2)
    assert "Fullt" in time_of(ten) and "2 ledige plasser" in time_of(eleven)
    later = datetime(2027, 2, 9, 9, 30, tzinfo=UTC)  # 10:30 in Oslo: 10:00 has begun
    assert "Kan ikke bestilles" in time_of(eleven, now=later.replace(hour=10, minute=5))
    assert " disabled" not in time_of(eleven, now=later)


def test_the_weeks_one_read_gives_what_the_three_reads_of_the_orm_give(agencies):
    # One UNION ALL for the rules, the closures and the counters, each column converted as
    # the ORM converts it: the same values and types on SQLite and on PostgreSQL, across
    # the change to summer time (Sunday 28 March 2027), with another resource's rows beside.
    desk = make_resource(
        agencies["bymiljoetaten"],
        capacity=2,
        hours=((0, 6), (9, 24)),
        closed_on_holidays=False,  # Easter 2027 is this week
    )
    other = make_resource(agencies["bymiljoetaten"], slug="annen", hours=((8, 10),))
    OpeningRule.objects.create(
        resource=desk,
        weekday=2,
        opens=timetable.time(7, 30),
        closes=timetable.time(8, 15),
        capacity=5,
        valid_from=date(2027, 3, 1),
        valid_until=date(2027, 3, 31),
    )
    first, last = date(2027, 3, 24), date(2027, 3, 30)
    for resource, day, reason in (
        (desk, date(2027, 3, 24), 'Vann <lekkasje> & "tak"'),
        (desk, date(2027, 3, 30), "Kurs"),
        (desk, date(2027, 3, 31), "Etter uka"),
        (desk, date(2027, 3, 23), "Før uka"),
        (other, date(2027, 3, 25), "Annen"),
    ):
        Closure.objects.create(resource=resource, date=day, reason=reason)
    edges = (
        timetable.local_instant(first, timetable.time(0)),  # the first midnight: in
        timetable.local_instant(date(2027, 3, 28), timetable.time(3)),  # after the change
        timetable.local_instant(last, timetable.time(23)),  # the last slot: in
        timetable.local_instant(date(2027, 3, 31), timetable.time(0)),  # the next day: out
        timetable.local_instant(date(2027, 3, 23), timetable.time(23)),  # the day before: out
    )
    for taken, moment in enumerate(edges, 1):
        Slot.objects.create(
            resource=desk, starts_at=moment, ends_at=moment, capacity=9, taken=taken
        )
    Slot.objects.create(resource=other, starts_at=edges[1], ends_at=edges[1], capacity=9, taken=7)

    for _compiled_and_again in range(2):
        rules, closures, taken = selectors.week_reads(desk, first, last)
        assert rules == (orm_rules := selectors.opening_rules(desk))
        assert [[type(value) for value in rule] for rule in rules] == [
            [type(value) for value in rule] for rule in orm_rules
        ]
        assert closures == selectors.closures_between(desk, first, last)
        assert taken == {edges[0]: 1, edges[1]: 2, edges[2]: 3}
        assert all(moment.utcoffset() == timedelta(0) for moment in taken)
    days = selectors.calendar_days(desk, first, 7)
    assert selectors.calendar_days(desk, first, 7, read=(rules, closures)) == days
    # What the page looks up, the places taken of each time shown, is what the ORM read.
    orm_taken = selectors.taken_on(desk, days)
    shown = [slot.starts_at for day in days for slot in day.slots]
    assert edges[1] in shown
    assert [taken.get(moment) for moment in shown] == [orm_taken.get(moment) for moment in shown]


def test_the_pickers_resource_is_the_resources_own_columns(agencies, caplog):
    # The picker's page reads the resource as plain values (selectors.resource_for_picker),
    # each column converted as the ORM converts it, kept per process by the row as read: a
    # changed resource is another row, an unknown slug a 404.
    desk = make_resource(
        agencies["bymiljoetaten"],
        topics=[{"value": "parking", "nb": "Parkering", "en": "Parking"}],
        needs_approval=True,
        price_rule="per_hour",
        price_ore=15500,
    )
    with caplog.at_level(logging.WARNING, logger="iktipet.core.rows"):
        read = selectors.resource_for_picker(desk.slug)
        assert selectors.resource_for_picker(desk.slug) is read  # the same row: kept
    assert not caplog.records
    whole = selectors.resource_by_slug(desk.slug)
    for name in selectors.PickerResource._fields:
        assert getattr(read, name) == getattr(whole, name), name
        assert type(getattr(read, name)) is type(getattr(whole, name)), name
    assert read.name == whole.name == "Skranke"
    with translation.override("en"):
        assert read.name == whole.name == "Desk"
    type(desk).objects.filter(pk=desk.pk).update(location="Andre gata 2", capacity=3)
    changed = selectors.resource_for_picker(desk.slug)
    assert (changed.location, changed.capacity) == ("Andre gata 2", 3)
    with pytest.raises(Http404):
        selectors.resource_for_picker("ingen-slik")


def test_the_resource_read_with_its_week_is_the_two_reads(agencies, client, offline_settings):
    # selectors.picker_week: the resource as one JSON array beside its week's rows, the same
    # values and types as resource_for_picker and week_reads give, on both databases; a
    # week asked for beyond the horizon is read again where the horizon keeps it, and a
    # page the horizon shortens shows no closure after its last day.
    desk = make_resource(
        agencies["bymiljoetaten"],
        topics=[{"value": "p", "nb": 'Æ <ø> & "å"', "en": "P"}],
        needs_approval=True,
        closed_on_sundays=True,
        closed_on_holidays=False,
        price_rule="per_hour",
        price_ore=15500,
        horizon_days=10,
        name_nb='Skranke "<1>"',
    )
    first, last = date(2027, 2, 8), date(2027, 2, 14)
    Closure.objects.create(resource=desk, date=date(2027, 2, 9), reason="Kurs")
    Slot.objects.create(
        resource=desk, starts_at=at(first, 10), ends_at=at(first, 11), capacity=1, taken=1
    )
    for _compiled_and_again in range(2):
        found = selectors.picker_week(desk.slug, first, last)
        assert found is not None
        resource, week = found
        assert week == selectors.week_reads(desk, first, last)
        alone = selectors.resource_for_picker(desk.slug)
        assert resource == alone
        assert [type(value) for value in resource] == [type(value) for value in alone]
    with pytest.raises(Http404):
        selectors.picker_week("ingen-slik", first, last)

    Closure.objects.create(resource=desk, date=date(2027, 2, 19), reason="Etter horisonten")
    Closure.objects.create(resource=desk, date=date(2027, 2, 17), reason="Innenfor")
    sign_in_citizen(client)
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        beyond = client.get(f"/timebestilling/{desk.slug}/?fra=2027-02-14").content.decode()
        kept = client.get(f"/timebestilling/{desk.slug}/?fra=2027-02-12").content.decode()
    # The horizon ends on 18 February: both pages show 12-18 February.
    for page in (beyond, kept):
        assert "Ledige tidspunkt 12. februar–18. februar 2027" in page
        assert "Stengt: Innenfor" in page
        assert "Etter horisonten" not in page
    short = make_resource(agencies["bymiljoetaten"], slug="kort", horizon_days=3)
    Closure.objects.create(resource=short, date=date(2027, 2, 10), reason="Kort <stengt>")
    with mock.patch("iktipet.booking.clock.now", return_value=NOW):
        page = client.get(f"/timebestilling/{short.slug}/").content.decode()
    assert "Ledige tidspunkt 8. februar–11. februar 2027" in page
    assert "Stengt: Kort &lt;stengt&gt;" in page and 'id="day-20270212"' not in page
