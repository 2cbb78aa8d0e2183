"""The thread and reply-form partials other apps include (cases on Min side and for staff)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from iktipet.messaging import selectors
from iktipet.messaging.services import post_message
from support.messaging import make_user, pdf


def test_the_thread_partial_shows_messages_with_attachment_links(thread):
    citizen = make_user("citizen-kari", name=("Kari", "Nordmann-Test"))
    message = post_message(
        thread, author=citizen, side="citizen", body="Linje en\nLinje <to>", files=[pdf()]
    )
    html = render_to_string(
        "messaging/_thread.html",
        {
            "thread_messages": selectors.messages_of(thread),
            # Any URL taking the attachment id last will do for the test.
            "attachment_url_name": "messaging_staff:letter",
            "attachment_url_args": [],
        },
    )
    attachment = message.attachments.get()
    assert "Kari Nordmann-Test" in html
    assert "Linje en<br>Linje &lt;to&gt;" in html
    assert f'href="{reverse("messaging_staff:letter", args=[attachment.pk])}"' in html
    assert "vedlegg.pdf" in html
    assert 'datetime="' in html


def test_the_reply_form_keeps_the_text_and_shows_errors(db):
    request = RequestFactory().post("/")
    html = render_to_string(
        "messaging/_reply_form.html",
        {
            "reply_action": "/min-side/saker/1/svar/",
            "reply_errors": {"body": "Skriv en melding eller legg ved en fil."},
            "reply_body": "Det jeg skrev <b>",
        },
        request=request,
    )
    assert 'action="/min-side/saker/1/svar/"' in html
    assert 'enctype="multipart/form-data"' in html and "multiple" in html
    assert "csrfmiddlewaretoken" in html
    assert 'href="#reply-body"' in html and 'aria-invalid="true"' in html
    assert "Det jeg skrev &lt;b&gt;</textarea>" in html
    assert "<script" not in html and "style=" not in html
