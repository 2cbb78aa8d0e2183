"""A notification carries a reference to a file made at send time: the queue holds only
``kind:key``; the email (read from the file backend) carries the file; SMS and a gone object
send the text alone; bad references are refused when the notice is made."""

from __future__ import annotations

import email
import email.policy

import pytest

from iktipet.messaging import generated
from iktipet.messaging.models import Notification
from iktipet.messaging.services import notify
from iktipet.messaging.tasks import send_notification
from support.messaging import KARI

pytestmark = pytest.mark.django_db

LINK = "/min-side/"
MADE: dict[str, bytes] = {
    "42": b"BEGIN:VCALENDAR\r\nX-TEST:\xc3\xa6\xc3\xb8\xc3\xa5\r\nEND:VCALENDAR\r\n"
}


def _render(key: str) -> generated.GeneratedFile | None:
    content = MADE.get(key)
    if content is None:
        return None
    return generated.GeneratedFile(
        filename="fil.ics", content=content, mimetype="text/calendar", params={"method": "PUBLISH"}
    )


generated.register_renderer("test.file", _render)


@pytest.fixture
def file_mail(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return tmp_path / "mail"


def _sent(folder) -> list[email.message.EmailMessage]:
    messages = []
    for path in sorted(folder.iterdir()):
        # The file backend writes each message followed by a line of dashes.
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return messages


def _notify(agencies, key: str) -> Notification:
    return notify(
        event="case.decided",
        pid=KARI,
        agency=agencies["naeringsetaten"],
        link_path=LINK,
        context={"reference": "2026/000123"},
        attachment=generated.reference("test.file", key),
    )


def test_the_email_carries_the_file_made_at_send_time(agencies, offline_settings, file_mail):
    notification = _notify(agencies, "42")
    assert Notification.objects.get(pk=notification.pk).attachment == "test.file:42"
    MADE["42"] = MADE["42"].replace(b"X-TEST", b"X-LATER")  # changed after the notice was made
    try:
        assert send_notification.call(str(notification.pk)) == "sent"
    finally:
        MADE["42"] = MADE["42"].replace(b"X-LATER", b"X-TEST")
    (message,) = _sent(file_mail)
    (part,) = list(message.iter_attachments())
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH" and part.get_filename() == "fil.ics"
    assert part.get_content() == "BEGIN:VCALENDAR\r\nX-LATER:æøå\r\nEND:VCALENDAR\r\n"
    assert "2026/000123" in message.get_body(("plain",)).get_content()
    # SMS went too, as text only.
    sms = (offline_settings.VAR_DIR / "sms" / "outbox.log").read_text(encoding="utf-8")
    assert "BEGIN:VCALENDAR" not in sms and sms.count("\n") == 1


def test_an_object_gone_since_sends_the_text_alone(agencies, offline_settings, file_mail):
    notification = _notify(agencies, "7")
    assert send_notification.call(str(notification.pk)) == "sent"
    (message,) = _sent(file_mail)
    assert list(message.iter_attachments()) == []


@pytest.mark.parametrize(
    "ref",
    ["nope:42", "test.file", "test.file:17819049912", "test.file:a b", "test.file:" + "9" * 101],
)
def test_a_bad_reference_is_refused_when_the_notice_is_made(agencies, ref):
    with pytest.raises(ValueError):
        notify(event="case.decided", pid=KARI, link_path=LINK, attachment=ref)
    assert not Notification.objects.exists()


def test_a_kind_is_registered_once():
    generated.register_renderer("test.file", _render)  # the same renderer again: fine
    with pytest.raises(ValueError, match="already registered"):
        generated.register_renderer("test.file", lambda key: None)
    with pytest.raises(ValueError):
        generated.register_renderer("Bad Kind", _render)
