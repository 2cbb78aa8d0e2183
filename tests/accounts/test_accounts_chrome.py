"""``accounts.chrome``: the frame of every page (``base.html``) written around a page's
content without the template engine is what ``base.html`` writes around it, for anyone
(logged out, a citizen, one acting for an organisation, a case worker), in both languages,
with messages of each kind and values that need escaping. (Every page written in Python is
also compared with its old template in every test that renders it: support.python_pages.)"""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ImproperlyConfigured
from django.template import engines
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe

from iktipet.accounts import chrome
from iktipet.accounts.parties import ActingParty
from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from support.python_pages import masked

HOSTILE = "<script>alert(\"x\")</script> & 'q'"
PAGE = (
    '{% extends "base.html" %}{% block title %}{{ title }}{% endblock %}'
    "{% block head %}{{ head }}{% endblock %}{% block content %}{{ content }}{% endblock %}"
)


def _both(request, title, head="", content=""):
    new = chrome.page(request, title=title, head=mark_safe(head), content=mark_safe(content))
    old = (
        engines["django"]
        .from_string(PAGE)
        .render({"title": title, "head": mark_safe(head), "content": mark_safe(content)}, request)
    )
    return masked(str(new)), masked(old)


def _request(client, path=f"/side/?q={HOSTILE}"):
    """A request carrying ``client``'s session and user, as the middleware leaves it."""
    response = client.get("/min-side/")
    request = response.wsgi_request
    request.path_info = request.path = path.split("?")[0]
    request.META["QUERY_STRING"] = path.partition("?")[2]
    return request


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("who", ["anonymous", "citizen", "organisation", "staff"])
def test_the_frame_is_base_htmls(client, language, who):
    if who == "anonymous":
        request = RequestFactory().get(f"/side/?q={HOSTILE}")
        request.session = {}
        request._messages = FallbackStorage(request)
    else:
        if who == "staff":
            sign_in_staff(client, [(None, "operator")])
        else:
            party = (
                ActingParty("organisation", "310000001", HOSTILE) if who == "organisation" else None
            )
            sign_in_citizen(client, name=(HOSTILE, "Test"), acting_for=party)
        request = _request(client)
    with translation.override(language):
        new, old = _both(request, HOSTILE, '<link rel="x">', "<p>innhold</p>")
    assert new == old
    assert "&lt;script&gt;" in new and "<script>" not in new.replace("<script src=", "")


@pytest.mark.django_db
def test_messages_of_each_kind_are_written_and_then_gone(client):
    sign_in_citizen(client)
    request = _request(client)
    messages.success(request, HOSTILE)
    messages.error(request, "Feil")
    messages.info(request, mark_safe("<b>trygg</b>"))
    messages.warning(request, "Advarsel")
    new = chrome.page(request, title="T", content="")
    assert request._messages.used  # shown: not kept for the next page
    request2 = _request(client)
    for level, text in [
        (messages.SUCCESS, HOSTILE),
        (messages.ERROR, "Feil"),
        (messages.INFO, mark_safe("<b>trygg</b>")),
        (messages.WARNING, "Advarsel"),
    ]:
        messages.add_message(request2, level, text)
    old = engines["django"].from_string(PAGE).render({"title": "T", "content": ""}, request2)
    assert masked(str(new)) == masked(old)
    assert 'data-color="success"' in new and 'data-color="danger"' in new
    assert "&lt;script&gt;" in new and "<b>trygg</b>" in new


def test_a_frame_without_a_part_is_refused():
    with pytest.raises(ImproperlyConfigured):
        chrome._split("<title>\ue000title\ue000</title>\ue000nav\ue000")
