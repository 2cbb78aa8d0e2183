"""The notification channels: email through Django's backend, SMS to the console outbox or
to an HTTP gateway (a local server here: 200, 500, timeout), and their check_config."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail

from iktipet.core.checks import check_plugins
from iktipet.messaging.channels import (
    DeliveryFailed,
    email_channel,
    email_channels,
    sms_channel,
    sms_channels,
)
from iktipet.messaging.masking import mask_email, mask_phone


def _http(gateway, **options):
    return sms_channels.create(
        "http", url=gateway.url, token=options.pop("token", "s3cret"), **options
    )


def test_http_sms_posts_json_with_a_bearer_token(gateway):
    _http(gateway).send(to="+4740000001", subject="Emne", body="Ny melding.\nhttps://x/")
    [seen] = gateway.seen
    assert seen["path"] == "/sms"
    assert seen["authorization"] == "Bearer s3cret"
    assert seen["content_type"] == "application/json"
    assert seen["json"] == {"to": "+4740000001", "message": "Ny melding. https://x/"}


def test_http_sms_server_error_is_a_delivery_failure(gateway):
    gateway.status = 500
    with pytest.raises(DeliveryFailed, match="HTTP 500") as caught:
        _http(gateway).send(to="+4740000001", subject="s", body="b")
    assert "4740000001" not in str(caught.value)


def test_http_sms_timeout_is_a_delivery_failure(gateway):
    gateway.delay = 1.0
    with pytest.raises(DeliveryFailed, match="timed out"):
        _http(gateway, timeout=0.2).send(to="+4740000001", subject="s", body="b")


def test_http_sms_unreachable_is_a_delivery_failure():
    channel = sms_channels.create("http", url="http://127.0.0.1:9/sms", token="t", timeout=1)
    with pytest.raises(DeliveryFailed, match="request failed"):
        channel.send(to="+4740000001", subject="s", body="b")


def test_http_sms_check_config():
    assert sms_channels.check_config("http", url="", token="") == [
        "IKTIPET_SMS_URL must be the gateway's http(s) URL.",
        "IKTIPET_SMS_TOKEN is not set: the gateway needs a bearer token.",
    ]
    assert sms_channels.check_config("http", url="http://sms.example.no/", token="t") == [
        "IKTIPET_SMS_URL should use https: the token is sent with it."
    ]
    assert sms_channels.check_config("http", url="https://sms.example.no/send", token="t") == []


def test_configured_channels_follow_settings(settings, gateway):
    settings.SMS_CHANNEL = "http"
    settings.SMS_URL, settings.SMS_TOKEN, settings.SMS_TIMEOUT = gateway.url, "tok", 3
    channel = sms_channel()
    assert (channel.name, channel.url, channel.token, channel.timeout) == (
        "http",
        gateway.url,
        "tok",
        3,
    )
    assert email_channels.problems(settings) == sms_channels.problems(settings) == []
    settings.SMS_CHANNEL = "carrier-pigeon"
    assert sms_channels.problems(settings) == [
        "Unknown SMS channel 'carrier-pigeon' (choose one of: console, http, test-failing)."
    ]
    [warning] = [m for m in check_plugins() if m.obj.startswith("SMS channel")]
    assert (warning.id, warning.obj) == (
        "core.W001",
        "SMS channel (IKTIPET_SMS_CHANNEL=carrier-pigeon)",
    )


def test_console_sms_appends_to_the_outbox(settings):
    channel = sms_channel()
    assert channel.name == "console" and channel.check_config() == []
    channel.send(to="+4740000001", subject="s", body="Første linje\nandre")
    channel.send(to="+4740000002", subject="s", body="To")
    lines = (settings.VAR_DIR / "sms" / "outbox.log").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[1:] for line in lines] == [
        ["+4740000001", "Første linje andre"],
        ["+4740000002", "To"],
    ]


def test_email_channel_sends_from_the_default_address(settings):
    settings.DEFAULT_FROM_EMAIL = "Oslo kommune <ikke-svar@oslo.test>"
    email_channel().send(to="kari@example.no", subject="Emne", body="Tekst")
    [message] = mail.outbox
    assert (message.from_email, message.to, message.subject) == (
        "Oslo kommune <ikke-svar@oslo.test>",
        ["kari@example.no"],
        "Emne",
    )
    assert email_channels.check_config("django", from_email="nobody") == [
        "IKTIPET_EMAIL_FROM must be an email address."
    ]


class BrokenSmtp:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_an_smtp_error_is_a_delivery_failure(settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenSmtp"
    with pytest.raises(DeliveryFailed, match="SMTPServerDisconnected"):
        email_channel().send(to="kari@example.no", subject="s", body="b")


@pytest.mark.parametrize(
    ("value", "masked"),
    [("kari.nordmann@example.no", "k***@example.no"), ("broken", "***")],
)
def test_mask_email(value, masked):
    assert mask_email(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("+4740000123", "+47 *** ** 123"), ("+46701234567", "*** 567"), ("12", "***")],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked
