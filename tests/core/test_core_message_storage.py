"""MESSAGE_STORAGE (core.sessions.messages): nothing built or read without a message; a
message added on one request is shown on the next."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from iktipet.core.sessions.messages import LazyFallbackStorage


def _request(cookies: dict[str, str] | None = None, session: SessionStore | None = None):
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    request.session = session if session is not None else SessionStore()
    request._messages = LazyFallbackStorage(request)
    return request


def test_without_a_message_no_store_is_built():
    request = _request()
    storage = request._messages
    assert len(storage) == 0 and list(storage) == []
    assert "storages" not in storage.__dict__
    response = storage.update(HttpResponse())
    assert response is None or response == []


def test_a_message_goes_to_the_cookie_and_is_read_back():
    request = _request()
    messages.info(request, "Lagret")
    response = HttpResponse()
    request._messages.update(response)
    cookie = response.cookies[CookieStorage.cookie_name].value
    following = _request({CookieStorage.cookie_name: cookie})
    assert [str(m) for m in following._messages] == ["Lagret"]
