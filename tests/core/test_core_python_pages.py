"""``core.python_pages``: ``render()`` finds a page written in Python by its template's
name, any other name goes on to Django's engine, and the test client still sees which
template a response used and its context."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.test import RequestFactory

from iktipet.accounts.testing import sign_in_citizen
from iktipet.core.python_pages import PythonPages


def _page(context, request):
    return f"<p>{context['n'] + 1} {request.path if request is not None else '-'}</p>"


def _backend(**pages: str) -> PythonPages:
    return PythonPages(
        {"NAME": "python", "DIRS": [], "APP_DIRS": False, "OPTIONS": {"pages": pages}}
    )


def test_a_named_page_is_its_function_with_the_context_and_the_request():
    backend = _backend(**{"x/page.html": f"{__name__}._page"})
    request = RequestFactory().get("/her/")
    page = backend.get_template("x/page.html")
    assert page.render({"n": 1}, request) == "<p>2 /her/</p>"
    assert page.render({"n": 2}) == "<p>3 -</p>"
    assert backend.get_template("x/page.html") is page  # imported once


def test_another_name_is_not_found_here():
    with pytest.raises(TemplateDoesNotExist):
        _backend().get_template("x/other.html")


@pytest.mark.django_db
def test_render_falls_through_to_djangos_engine_for_a_template():
    response: HttpResponse = render(RequestFactory().get("/"), "errors/404.html", {"title": "T"})
    assert b"<title>T" in response.content


@pytest.mark.django_db
def test_the_test_client_sees_a_python_pages_template_and_context(client):
    sign_in_citizen(client)
    response = client.get("/min-side/")
    assert response.status_code == 200
    assert "accounts/my_page.html" in [t.name for t in response.templates]
    assert response.context["title"] == "Min side"
