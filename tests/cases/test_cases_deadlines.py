"""Deadlines in Europe/Oslo across summer time and public holidays."""

from __future__ import annotations

import datetime as dt

from iktipet.cases import deadlines

UTC = dt.UTC


def test_weekends_and_holidays_are_not_working_days():
    assert deadlines.is_working_day(dt.date(2026, 12, 1))
    assert not deadlines.is_working_day(dt.date(2026, 12, 5))  # Saturday
    assert not deadlines.is_working_day(dt.date(2026, 12, 25))  # 1. juledag
    assert not deadlines.is_working_day(dt.date(2026, 5, 17))  # Grunnlovsdag (a Sunday too)
    assert not deadlines.is_working_day(dt.date(2026, 4, 2))  # Skjærtorsdag


def test_appeal_deadline_is_three_weeks_from_delivery_in_oslo():
    # Delivered 23:30 UTC on 1 December = 00:30 on 2 December in Oslo: counted from the 2nd.
    delivered = dt.datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
    assert deadlines.appeal_deadline(delivered) == dt.date(2026, 12, 23)


def test_appeal_deadline_on_a_holiday_moves_to_the_next_working_day():
    # 3 weeks after 4 December 2026 is Friday 25 December: Christmas Day, then Boxing Day
    # and a weekend, so the deadline is Monday 28 December.
    delivered = dt.datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    assert deadlines.appeal_deadline(delivered) == dt.date(2026, 12, 28)


def test_appeal_deadline_over_easter():
    # 3 weeks after 12 March 2026 is 2 April, Skjærtorsdag; Langfredag, the weekend and
    # 2. påskedag follow: Tuesday 7 April.
    delivered = dt.datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
    assert deadlines.appeal_deadline(delivered) == dt.date(2026, 4, 7)


def test_neighbour_deadline_across_the_spring_dst_change():
    # Sent 20 March 2026 (CET, +01:00); 14 days later is 3 April (Langfredag, CEST +02:00):
    # moved to Tuesday 7 April, end of day local time.
    sent = dt.datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
    deadline = deadlines.neighbour_deadline(sent)
    assert deadline.astimezone(deadlines.OSLO).date() == dt.date(2026, 4, 7)
    assert deadline.astimezone(deadlines.OSLO).time() == dt.time(23, 59, 59)
    assert deadline.utcoffset() == dt.timedelta(hours=2)
    assert deadline - sent >= dt.timedelta(days=14)


def test_neighbour_deadline_across_the_autumn_dst_change():
    # Sent 20 October 2026 (CEST); 3 November is a Tuesday in CET (+01:00).
    sent = dt.datetime(2026, 10, 20, 8, 0, tzinfo=UTC)
    deadline = deadlines.neighbour_deadline(sent)
    assert deadline.astimezone(UTC) == dt.datetime(2026, 11, 3, 22, 59, 59, tzinfo=UTC)


def test_neighbours_never_get_less_than_fourteen_days():
    sent = dt.datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    assert deadlines.neighbour_deadline(sent, days=3) == deadlines.neighbour_deadline(sent)


def test_months_keep_the_day_or_take_the_last_of_the_month():
    assert deadlines.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert deadlines.add_months(dt.date(2026, 11, 15), 4) == dt.date(2027, 3, 15)
    # Skjenkebevilling: 4 months from 30 December 2026 is 30 April 2027, a Friday.
    received = dt.datetime(2026, 12, 30, 10, 0, tzinfo=UTC)
    assert deadlines.after(received, months=4) == dt.date(2027, 4, 30)


def test_offer_answer_deadline_is_the_end_of_the_tenth_day():
    offered = dt.datetime(2026, 3, 25, 10, 0, tzinfo=UTC)
    deadline = deadlines.answer_deadline(offered, 10)
    # 4 April 2026 is Easter Saturday; then Easter Sunday and Monday: Tuesday 7 April.
    assert deadline.astimezone(deadlines.OSLO).date() == dt.date(2026, 4, 7)


def test_is_past():
    now = dt.datetime(2026, 12, 23, 23, 30, tzinfo=UTC)  # 00:30 on the 24th in Oslo
    assert deadlines.is_past(dt.date(2026, 12, 23), now)
    assert not deadlines.is_past(dt.date(2026, 12, 24), now)
    assert not deadlines.is_past(None, now)
