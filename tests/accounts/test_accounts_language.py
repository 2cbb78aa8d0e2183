"""The header's language switch: a GET form (accounts.views.language), so an anonymous page
makes no CSRF token; it stays on this site, and every POST still needs a token."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from iktipet.accounts.testing import sign_in_citizen
from iktipet.core.demo_data import load_municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _municipality():
    load_municipality()


def test_the_switch_turns_the_pages_english_and_comes_back(client):
    response = client.get("/sprak/", {"language": "en", "next": "/personvern/?a=1"})
    assert response.status_code == 302
    assert response["Location"] == "/personvern/?a=1"
    assert response.cookies["django_language"].value == "en"
    assert response.cookies["django_language"]["httponly"]
    assert response.cookies["django_language"]["samesite"] == "Lax"
    html = client.get("/personvern/").content.decode()
    assert '<html lang="en"' in html and ">Privacy</h1>" in html

    client.get("/sprak/", {"language": "nb", "next": "/"})
    assert ">Personvern</h1>" in client.get("/personvern/").content.decode()


def test_the_switch_is_a_get_form_with_the_page_to_come_back_to(client):
    html = client.get("/personvern/?x=<1>").content.decode()
    form = re.search(
        r'<form class="lang-switch" action="/sprak/" method="get">(.*?)</form>', html, re.S
    )
    assert form is not None
    assert 'name="next" value="/personvern/?x=%3C1%3E"' in form.group(1)
    assert 'name="language" value="en"' in form.group(1)
    assert 'type="submit"' in form.group(1)  # no script needed; a button is keyboard-reachable


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "http://evil.example/personvern/",
        "javascript:alert(1)",
        "/\\evil.example/",
        "",
    ],
)
def test_never_off_site(client, next_url):
    response = client.get("/sprak/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies["django_language"].value == "en"


def test_an_unknown_language_changes_nothing(client):
    response = client.get("/sprak/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert "django_language" not in response.cookies
    assert '<html lang="nb"' in client.get("/").content.decode()


def test_only_get(client):
    assert client.post("/sprak/", {"language": "en"}).status_code == 405


@pytest.mark.parametrize("path", ["/", "/tjenester/", "/personvern/"])
def test_an_anonymous_page_makes_no_csrf_token(path):
    response = Client().get(path)
    assert response.status_code == 200
    assert "csrftoken" not in response.cookies
    assert b"csrfmiddlewaretoken" not in response.content


def test_posts_still_need_the_token():
    """Logged in, the page carries the token its POST forms need, and a POST without it is
    refused: the switch took nothing from CSRF but its own form."""
    strict = Client(enforce_csrf_checks=True)
    sign_in_citizen(strict)
    page = strict.get("/personvern/")
    assert b'name="csrfmiddlewaretoken"' in page.content
    assert strict.post("/logg-ut/").status_code == 403
    assert strict.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 403
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1)
    assert strict.post("/logg-ut/", {"csrfmiddlewaretoken": token.decode()}).status_code == 302
