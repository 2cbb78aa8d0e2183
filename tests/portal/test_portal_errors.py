"""403, 404, 500 and CSRF failure pages: translated, styled, and never a bare Django page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from iktipet.urls import handler403, handler404, handler500  # noqa: F401  (used by Django)


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-403/", forbidden),
    path("test-500/", broken),
    path("", include("iktipet.urls")),
]


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
def test_404_in_bokmal(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    html = response.content.decode()
    assert ">Fant ikke siden</h1>" in html
    assert 'href="#main"' in html  # the full layout, skip link included


@pytest.mark.django_db
def test_404_in_english(english):
    response = english.get("/does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert ">Page not found</h1>" in html
    assert "Go to the home page" in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_403_translated(client):
    response = client.get("/test-403/")
    assert response.status_code == 403
    assert ">Ingen tilgang</h1>" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert ">Access denied</h1>" in client.get("/test-403/").content.decode()


@pytest.mark.urls(__name__)
def test_500_page_without_debug_and_without_the_database(client, settings):
    # No django_db mark: the error page must not need the database, which may be the problem.
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/test-500/")
    assert response.status_code == 500
    html = response.content.decode()
    assert ">Noe gikk galt</h1>" in html
    assert "a bug" not in html and "Traceback" not in html
    assert "<script" not in html
    assert response["X-Request-ID"]

    client.cookies["django_language"] = "en"
    english = client.get("/test-500/").content.decode()
    assert '<html lang="en"' in english
    assert ">Something went wrong</h1>" in english


@pytest.mark.django_db
def test_csrf_failure_page_is_translated_and_friendly(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 403
    assert ">Skjemaet er utløpt</h1>" in response.content.decode()
