"""Slots in Europe/Oslo, stored in UTC: right on both DST days; holidays and closures shut."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from iktipet.booking import timetable
from iktipet.booking.models import Closure
from iktipet.booking.selectors import availability, calendar_days
from support.booking import make_resource

pytestmark = pytest.mark.django_db

SPRING = date(2026, 3, 29)  # last Sunday of March: 02:00 CET → 03:00 CEST
AUTUMN = date(2026, 10, 25)  # last Sunday of October: 03:00 CEST → 02:00 CET


def utc_hours(day_slots):
    return [(s.starts_at.astimezone(UTC).hour, s.local_start.hour) for s in day_slots]


def test_daytime_slots_keep_their_wall_clock_time_across_both_changes(agencies):
    desk = make_resource(agencies["bymiljoetaten"])
    before, spring = calendar_days(desk, SPRING - timedelta(days=1), 2)
    # Saturday in winter time (UTC+1), Sunday in summer time (UTC+2): 09, 10, 11 local both.
    assert utc_hours(before.slots) == [(8, 9), (9, 10), (10, 11)]
    assert utc_hours(spring.slots) == [(7, 9), (8, 10), (9, 11)]
    before, autumn = calendar_days(desk, AUTUMN - timedelta(days=1), 2)
    assert utc_hours(before.slots) == [(7, 9), (8, 10), (9, 11)]
    assert utc_hours(autumn.slots) == [(8, 9), (9, 10), (10, 11)]
    for slot in spring.slots + autumn.slots:
        assert slot.ends_at - slot.starts_at == timedelta(hours=1)
        assert slot.starts_at.tzinfo is not None and slot.starts_at.utcoffset() == timedelta(0)


def test_a_day_open_round_the_clock_has_23_and_25_hours(agencies):
    night = make_resource(agencies["bymiljoetaten"], hours=((0, 24),))
    (spring,) = calendar_days(night, SPRING, 1)
    (autumn,) = calendar_days(night, AUTUMN, 1)
    (ordinary,) = calendar_days(night, date(2026, 6, 7), 1)
    assert len(ordinary.slots) == 24
    assert len(spring.slots) == 23  # 02:00 does not exist: no slot is lost
    assert [s.local_start.hour for s in spring.slots] == [0, 1, *range(3, 24)]
    assert len(autumn.slots) == 25  # 02:00 happens twice: two different instants
    assert [s.local_start.hour for s in autumn.slots].count(2) == 2
    for day in (spring, autumn):
        starts = [s.starts_at for s in day.slots]
        assert len(set(starts)) == len(starts)  # none doubled
        for first, second in zip(day.slots, day.slots[1:], strict=False):
            assert first.ends_at == second.starts_at  # none shifted, none overlapping
        assert day.slots[0].local_start.hour == 0
        assert day.slots[-1].local_end.hour == 0


def test_17_may_and_easter_are_closed_with_their_names(agencies):
    desk = make_resource(agencies["bymiljoetaten"])
    days = {day.date: day for day in calendar_days(desk, date(2027, 3, 24), 60)}
    for closed in (date(2027, 3, 25), date(2027, 3, 26), date(2027, 3, 28), date(2027, 3, 29)):
        assert days[closed].slots == () and days[closed].closed_reason, closed
    assert "påske" in days[date(2027, 3, 28)].closed_reason
    assert days[date(2027, 3, 27)].slots  # Easter Saturday is not a public holiday
    assert "Grunnlovsdag" in days[date(2027, 5, 17)].closed_reason
    assert days[date(2027, 5, 17)].slots == ()
    assert days[date(2027, 5, 18)].slots


def test_sundays_are_configurable_and_closures_give_their_reason(agencies):
    desk = make_resource(agencies["bymiljoetaten"], closed_on_sundays=True)
    sunday, monday = calendar_days(desk, date(2027, 2, 7), 2)
    assert sunday.slots == () and sunday.closed_reason == "Søndag"
    assert monday.slots
    Closure.objects.create(resource=desk, date=date(2027, 2, 8), reason="Strømbrudd")
    (monday,) = calendar_days(desk, date(2027, 2, 8), 1)
    assert monday.slots == () and monday.closed_reason == "Strømbrudd"


def test_seasons_and_rule_capacity(agencies):
    from datetime import time

    from iktipet.booking.models import OpeningRule

    desk = make_resource(agencies["bymiljoetaten"], hours=(), capacity=3)
    OpeningRule.objects.create(
        resource=desk,
        weekday=1,
        opens=time(18),
        closes=time(20),
        valid_from=date(2027, 1, 1),
        valid_until=date(2027, 6, 30),
        capacity=1,
    )
    (inside,) = calendar_days(desk, date(2027, 6, 29), 1)
    (outside,) = calendar_days(desk, date(2027, 7, 6), 1)
    assert [(s.local_start.hour, s.capacity) for s in inside.slots] == [(18, 1), (19, 1)]
    assert outside.slots == ()


def test_availability_lists_full_and_past_slots_instead_of_hiding_them(agencies):
    desk = make_resource(agencies["bymiljoetaten"])
    now = datetime(2027, 2, 8, 9, 30, tzinfo=timetable.OSLO).astimezone(UTC)
    (day,) = availability(desk, date(2027, 2, 8), 1, now=now)
    assert [(a.slot.local_start.hour, a.bookable, a.free) for a in day.slots] == [
        (9, False, 1),
        (10, True, 1),
        (11, True, 1),
    ]
