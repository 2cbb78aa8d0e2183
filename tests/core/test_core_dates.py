"""core.dates.format_date: Django's date_format, with the format parsed once per language."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import translation
from django.utils.formats import date_format

from iktipet.core.dates import format_date

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
FORMATS = ["DATETIME_FORMAT", "DATE_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT"]


def _moments():
    start = dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC)
    # Every month, odd hours and minutes, both DST changes' nights, a leap day.
    for hours in range(0, 24 * 366, 37):
        yield (start + dt.timedelta(hours=hours, minutes=hours % 60)).astimezone(OSLO)
    for moment in ("2026-03-29T00:59", "2026-03-29T01:00", "2026-10-25T00:30", "2028-02-29T23:59"):
        yield dt.datetime.fromisoformat(moment).replace(tzinfo=dt.UTC).astimezone(OSLO)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_same_text_as_date_format(language):
    compared = 0
    with translation.override(language):
        for moment in _moments():
            for name in FORMATS:
                assert format_date(moment, name) == date_format(moment, name)
                compared += 1
            assert format_date(moment.date(), "DATE_FORMAT") == date_format(moment.date())
            naive = moment.replace(tzinfo=None)
            assert format_date(naive, "DATETIME_FORMAT") == date_format(naive, "DATETIME_FORMAT")
    assert compared > 900


def test_each_language_keeps_its_own_format():
    moment = dt.datetime(2026, 5, 17, 14, 5, tzinfo=OSLO)
    with translation.override("nb"):
        norwegian = format_date(moment, "DATETIME_FORMAT")
    with translation.override("en"):
        english = format_date(moment, "DATETIME_FORMAT")
    assert "mai" in norwegian and "May" in english


def test_a_date_has_no_time_as_in_django():
    with translation.override("nb"), pytest.raises(TypeError):
        format_date(dt.date(2026, 5, 17), "DATETIME_FORMAT")
