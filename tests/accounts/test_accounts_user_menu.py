"""The header's user menu written in Python (accounts.menu) gives what its template gave, for
every kind of visitor, with the person's values escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from iktipet.accounts import menu
from iktipet.accounts.parties import ActingParty
from iktipet.accounts.templatetags import accounts as accounts_tags
from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.core.demo_data import load_municipality

pytestmark = pytest.mark.django_db

#: accounts/_user_menu.html as it was before the menu was written in Python.
OLD_TEMPLATE = (Path(__file__).parent / "user_menu_before.html").read_text()

PATH = '/tjenester/?q=<b>&x="1"\''


def normalised(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def both(request) -> tuple[str, str]:
    django = engines["django"]
    old = django.from_string(OLD_TEMPLATE).render({}, request)
    new = django.from_string("{% load accounts %}{% user_menu %}").render({}, request)
    return normalised(old), normalised(new)


def request_of(client, user) -> object:
    request = RequestFactory().get(PATH)
    request.user = user
    request.session = client.session
    return request


@pytest.fixture(autouse=True)
def _municipality():
    load_municipality()


@pytest.mark.parametrize("language", ["nb", "en"])
def test_anonymous(client, language):
    with translation.override(language):
        old, new = both(request_of(client, AnonymousUser()))
    assert old == new
    assert "Logg inn" in new or "Log in" in new
    assert "%253Cb%253E" in new and "<b>" not in new


@pytest.mark.parametrize("language", ["nb", "en"])
def test_citizen_for_themself(client, language):
    person = sign_in_citizen(client, name=("Kari <i>", 'O"Neil & co'))
    with translation.override(language):
        old, new = both(request_of(client, person.user))
    assert old == new
    assert "Kari &lt;i&gt;" in new and "csrfmiddlewaretoken" in new
    assert "site-nav__party" not in new


def test_citizen_for_an_organisation(client, monkeypatch):
    person = sign_in_citizen(client)
    board = ActingParty("organisation", "910000001", "Bakeri <AS> & Sønn")
    monkeypatch.setattr(menu, "acting_party", lambda request: board)
    monkeypatch.setattr(accounts_tags, "_acting_party", lambda request: board)
    for language in ("nb", "en"):
        with translation.override(language):
            old, new = both(request_of(client, person.user))
        assert old == new
        assert "Bakeri &lt;AS&gt; &amp; Sønn" in new


@pytest.mark.parametrize("language", ["nb", "en"])
def test_staff_member(client, language):
    user = sign_in_staff(client, [(None, "operator")], name=("Siri", "<Saks>"))
    with translation.override(language):
        old, new = both(request_of(client, user))
    assert old == new
    assert "&lt;Saks&gt;" in new and "/saksbehandling/" in new


def test_one_masked_token_for_every_form_on_a_page(client):
    """The menu's logout form takes the page's token: a page with another form makes one
    mask, not two."""
    user = sign_in_citizen(client).user
    request = request_of(client, user)
    html = (
        engines["django"]
        .from_string("{% load accounts %}{% user_menu %}<form>{% csrf_token %}</form>")
        .render({}, request)
    )
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) == 2 and tokens[0] == tokens[1]
