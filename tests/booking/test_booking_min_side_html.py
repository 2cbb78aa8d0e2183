"""Min side's booking section with nothing booked, written once per language in Python
(``booking.my_page.empty_html``): what ``booking/_min_side.html`` writes for it (issue 13)."""

from __future__ import annotations

import pytest
from django.template.loader import get_template
from django.utils import translation

from iktipet.booking.my_page import empty_html


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("bookable", [False, True])
def test_no_bookings_is_the_templates_html(language, bookable):
    with translation.override(language):
        old = get_template("booking/_min_side.html").render(
            {"section": {"bookings": [], "rentals": [], "resources": bookable}}
        )
        new = empty_html(bookable)
    assert new == old
    assert ('href="/timebestilling/"' in new) is bookable
