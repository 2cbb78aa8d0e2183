"""The header at 375 px, signed in: a compact band, not a third of the screen (issue 14:
it was 265 px of 667, 40 %; now about 112 px)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from iktipet.accounts.testing import sign_in_citizen
from support.cases import KARI

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_mobile_header_is_compact(page, browser_context, live_server, agencies, axe_check):
    client = Client()
    sign_in_citizen(client, KARI)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    browser_context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(f"{live_server.url}/")
    height = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    assert height <= 0.2 * 667, f"the header takes {height:.0f} px of 667"
    # Everything is still there and usable by keyboard.
    for name in ("Tjenester", "Min side", "Bytt aktør", "Logg ut", "English"):
        assert page.get_by_text(name, exact=True).first.is_visible()
    axe_check(page)
