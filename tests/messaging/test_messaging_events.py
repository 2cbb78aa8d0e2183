"""Every event renders in bokmål and English; the English one is really English."""

from __future__ import annotations

import re

import pytest
from django.template.loader import get_template

from iktipet.messaging.events import EVENTS, LANGUAGES, parse_notice, render_notice

CONTEXT = {
    "reference": "2026/000123",
    "service_title": "Servicetittel",
    "deadline": "2027-01-15",
    "agency_name": "Etaten",
}
URL = "https://iktipet.test/min-side/saker/1/"
NORWEGIAN = re.compile(r"[æøåÆØÅ]|\b(og|du|din|ditt|saken|har|vi|er|på|til|ikke|Hei|av|ble|vil)\b")


def test_the_events_shipped():
    assert set(EVENTS) == {
        "case.received",
        "case.information_requested",
        "case.message",
        "case.decided",
        "case.appeal_received",
        "case.closed",
        "nabovarsel.notice",
        "nabovarsel.reply",
        "nabovarsel.deadline_passed",
        "barnehage.offer",
        "barnehage.offer_expired",
        "booking.confirmed",
        "booking.changed",
        "booking.cancelled",
        "booking.reminder",
        "booking.waitlist_offer",
        "payment.claim",
        "payment.refunded",
    }
    assert all(event.description for event in EVENTS.values())


@pytest.mark.parametrize("event", sorted(EVENTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_event_renders(event, language):
    rendered = render_notice(event, language=language, context=CONTEXT, url=URL)
    assert rendered.subject and "\n" not in rendered.subject and len(rendered.subject) < 100
    assert URL in rendered.body
    assert "{" not in rendered.body and "%(" not in rendered.body
    assert "\n" not in rendered.sms and rendered.sms.endswith(URL) and len(rendered.sms) < 160
    if language == "en":
        norwegian = render_notice(event, language="nb", context=CONTEXT, url=URL)
        assert rendered.subject != norwegian.subject
        for text in (rendered.subject, rendered.sms, rendered.body):
            assert not NORWEGIAN.search(text.replace("Etaten", "")), text
    if "deadline" in get_template(f"messaging/notifications/{event}.txt").template.source:
        assert ("15. januar 2027" if language == "nb" else "15 January 2027") in rendered.body


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_every_event_renders_without_optional_context(event):
    rendered = render_notice(event, language="nb", context={}, url=URL)
    assert "«»" not in rendered.body and "Referanse" not in rendered.body
    assert "\n\n\n" not in rendered.body


def test_unknown_events_and_templates_without_a_subject_are_refused():
    with pytest.raises(ValueError, match="Unknown"):
        render_notice("case.nope", language="nb", context={}, url=URL)
    with pytest.raises(ValueError, match="Subject"):
        parse_notice("Hei\n\nbody", URL)


def test_plain_text_is_not_html_escaped():
    rendered = render_notice(
        "case.received", language="nb", context={"service_title": "Mat & drikke <ute>"}, url=URL
    )
    assert "«Mat & drikke <ute>»" in rendered.body
