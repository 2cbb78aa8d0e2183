"""Who is speaking: an email comes from the agency in the municipality's name (not from the
platform), and an SMS starts with that sender."""

from __future__ import annotations

import uuid
from email.header import decode_header, make_header
from email.utils import parseaddr

from django.core import mail

from iktipet.core.models import Municipality
from iktipet.messaging.services import notify
from iktipet.messaging.tasks import send_notification
from support.messaging import KARI, make_user

LINK = f"/min-side/saker/{uuid.uuid4()}/"
CONTEXT = {"reference": "2026/000123", "service_title": "Skjenkebevilling"}


def _sms_lines(settings) -> list[str]:
    path = settings.VAR_DIR / "sms" / "outbox.log"
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_email_and_sms_come_from_the_agency_in_the_municipality_s_name(agencies, settings):
    settings.DEFAULT_FROM_EMAIL = "Iktipet <ikke-svar@oslo.kommune.invalid>"
    agency = agencies["naeringsetaten"]
    notification = notify(
        event="case.decided", pid=KARI, agency=agency, link_path=LINK, context=CONTEXT
    )
    assert send_notification.call(str(notification.pk)) == "sent"
    [email] = mail.outbox
    message = email.message()
    _name, address = parseaddr(str(message["From"]))
    assert address == "ikke-svar@oslo.kommune.invalid"
    assert "Iktipet" not in message["From"]
    shown = str(make_header(decode_header(str(message["From"]))))
    assert "Oslo kommune, Næringsetaten" in shown
    [line] = _sms_lines(settings)
    text = line.split("\t")[-1]
    assert text.startswith("Oslo kommune, Næringsetaten: ")
    assert "Iktipet" not in text


def test_the_sender_follows_the_municipality_and_the_language(agencies, settings):
    Municipality.objects.update(name="Testkommune")
    agency = agencies["naeringsetaten"]
    notification = notify(
        event="case.decided",
        pid=KARI,
        agency=agency,
        link_path=LINK,
        context=CONTEXT,
        language="en",
    )
    assert send_notification.call(str(notification.pk)) == "sent"
    [line] = _sms_lines(settings)
    with_english = f"Testkommune, {agency.name_en or agency.name_nb}: "
    assert line.split("\t")[-1].startswith(with_english)


def test_a_notice_of_no_agency_comes_from_the_municipality(agencies):
    user = make_user("citizen-x", email="someone@example.no")
    notification = notify(event="case.received", user=user, link_path=LINK, context=CONTEXT)
    assert send_notification.call(str(notification.pk)) == "sent"
    shown = str(make_header(decode_header(str(mail.outbox[0].message()["From"]))))
    assert shown.startswith("Oslo kommune <") or shown.startswith('"Oslo kommune" <')
