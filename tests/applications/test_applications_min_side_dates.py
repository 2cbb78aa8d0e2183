"""Min side's drafts and receipts format a moment once per process (``min_side_html._dates``,
issue 13): the text follows the current time zone and language, as the ``date`` filter's."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from iktipet.applications.min_side_html import _dates

MOMENT = dt.datetime(2026, 12, 7, 23, 30, tzinfo=dt.UTC)


def test_a_moment_is_shown_in_the_current_zone_and_language_each_time():
    for zone in ("Europe/Oslo", "UTC", "America/New_York", "Europe/Oslo"):
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            for language in ("nb", "en", "nb"):
                with translation.override(language):
                    local = _dates()
                    for name in ("SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT"):
                        expected = date_filter(timezone.localtime(MOMENT), name)
                        assert local(MOMENT, name) == expected
                        naive = MOMENT.replace(tzinfo=None)
                        assert local(naive, name) == date_filter(naive, name)
