"""The thread and the reply form written in Python (messaging/thread_html.py, issue 13): the
same HTML, byte for byte, as the templates they replaced (kept in templates_before/), and
every value a person wrote escaped."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from django.template import engines
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.html import conditional_escape

from iktipet.messaging import selectors, thread_html
from iktipet.messaging.models import MessageAttachment
from iktipet.messaging.services import post_message
from support.messaging import make_user, pdf, png

BEFORE = Path(__file__).parent / "templates_before"
HOSTILE = '<script>alert("x")</script> & \'q\' "dq"'


def _old(name: str, context: dict, request=None) -> str:
    source = (BEFORE / name).read_text()
    return engines["django"].from_string(source).render(context, request)


def _both(name: str, context: dict, request=None, zone: str = "Europe/Oslo") -> tuple[str, str]:
    with timezone.override(zone):
        old = _old(name, dict(context), request)
        new = render_to_string(f"messaging/{name}", dict(context), request=request)
    return old, new


@pytest.fixture
def varied_thread(thread):
    """Messages in every shape the thread shows: each side and kind, with and without a
    body, an author label, files (one, two, none), a body with paragraphs and line breaks."""
    citizen = make_user("citizen-kari", name=("Kari", "Nordmann-Test"))
    worker = make_user("staff-sara", kind="staff", name=("Sara", "Saksbehandler"))
    post_message(thread, author=citizen, side="citizen", body="Linje en\nLinje <to>\n\nAvsnitt")
    post_message(
        thread,
        author=worker,
        side="staff",
        body="Send et bilde",
        kind="information_request",
    )
    post_message(thread, author=citizen, side="citizen", body="", kind="answer", files=[pdf()])
    post_message(thread, author=None, side="system", body="Saken er mottatt", kind="system")
    post_message(
        thread, author=None, side="staff", body="Uten navn", files=[pdf("a.pdf"), png("b.png")]
    )
    post_message(thread, author=worker, side="staff", body="Hei", author_label="Etaten & co")
    return thread


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_thread_is_the_old_templates_html(varied_thread, language):
    messages = selectors.messages_of(varied_thread)
    contexts = [
        {"thread_messages": messages, "attachment_url_name": "messaging_staff:letter"},
        {
            "thread_messages": messages,
            "attachment_url_name": "messaging_staff:letter",
            "attachment_url_args": [],
        },
        {"thread_messages": messages},  # no one serves the files: names without links
        {"thread_messages": messages[:1]},
        {"thread_messages": []},
        {},
    ]
    with translation.override(language):
        for context in contexts:
            old, new = _both("_thread.html", context)
            assert new == old
        full, _new = _both("_thread.html", contexts[0])
        # Another time zone (the times are kept per zone, not only per moment).
        old, new = _both("_thread.html", contexts[0], zone="America/New_York")
        assert new == old and new != full
    # The data show what the thread can show: links to files, tags, times, paragraphs.
    assert full.count("download>") == 3 and full.count('class="ds-tag"') == 2
    assert full.count("<time datetime=") == 6 and "<br>" in full and "Etaten &amp; co" in full


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_reply_form_is_the_old_templates_html(db, language):
    errors = [
        None,
        {},
        {"body": "Skriv en melding eller legg ved en fil."},
        {"files": "Filen er for stor."},
        {"body": "Skriv noe.", "files": "Høyst 10 filer."},
        {"__all__": "Saken er avsluttet."},
    ]
    bodies = ["", "Det jeg skrev <b>\nlinje to", None, "missing"]
    labels = ["", "Skriv til søkeren", "missing"]
    requests = [RequestFactory().post("/"), None]
    with translation.override(language):
        for error, body, label, request in itertools.product(errors, bodies, labels, requests):
            context = {"reply_action": "/min-side/saker/1/svar/", "reply_errors": error}
            if body != "missing":
                context["reply_body"] = body
            if label != "missing":
                context["reply_label"] = label
            old, new = _both("_reply_form.html", context, request)
            # The CSRF token is masked anew on each use: compare the forms without it.
            if request is not None:
                token = request.META["CSRF_COOKIE"]
                assert "csrfmiddlewaretoken" in new and token
                old, new = (_without_token(html) for html in (old, new))
            assert new == old


def _without_token(html: str) -> str:
    start = html.index('name="csrfmiddlewaretoken" value="') + len(
        'name="csrfmiddlewaretoken" value="'
    )
    end = html.index('"', start)
    return html[:start] + html[end:]


def test_everything_a_person_wrote_is_escaped_in_the_thread(thread):
    citizen = make_user("citizen-hostile", name=(HOSTILE, HOSTILE))
    message = post_message(thread, author=citizen, side="citizen", body=HOSTILE, files=[pdf()])
    post_message(thread, author=None, side="staff", body="x", author_label=HOSTILE)
    MessageAttachment.objects.filter(message=message).update(original_name=HOSTILE)
    for name in (None, "messaging_staff:letter"):
        html = render_to_string(
            "messaging/_thread.html",
            {"thread_messages": selectors.messages_of(thread), "attachment_url_name": name},
        )
        assert "<script" not in html
        assert '"x"' not in html and "'q'" not in html
        # The body, the file's name and both authors' labels, each escaped.
        assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 4


def test_everything_typed_is_escaped_in_the_reply_form(db):
    html = render_to_string(
        "messaging/_reply_form.html",
        {
            "reply_action": '/svar/?a="><script>',
            "reply_errors": {"body": HOSTILE, "files": HOSTILE},
            "reply_body": "</textarea>" + HOSTILE,
            "reply_label": HOSTILE,
        },
        request=RequestFactory().post("/"),
    )
    assert "<script" not in html and "</textarea><" not in html
    assert 'action="/svar/?a=&quot;&gt;&lt;script&gt;"' in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 6


def test_a_files_size_is_the_filters_in_each_language():
    """A file's size is kept per language and size: the filter's text, whichever language
    asked first (nb writes 1,5 KB where en writes 1.5 KB)."""
    sizes = [0, 1, 1023, 1024, 1536, 10**6 + 1, 5 * 10**9]
    for language in ["nb", "en", "nb"]:
        with translation.override(language):
            for size in sizes:
                expected = conditional_escape(filesizeformat(size))
                assert thread_html._size(translation.get_language(), size) == expected
    with translation.override("nb"):
        nb = thread_html._size("nb", 1536)
    with translation.override("en"):
        assert thread_html._size("en", 1536) != nb
