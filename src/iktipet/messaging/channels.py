"""Notification channels, in the project's one plugin pattern (:mod:`iktipet.core.registry`).

Two kinds: ``email_channels`` (``django``: Django's email backend, which settings build from
``IKTIPET_EMAIL_URL``) and ``sms_channels`` (``console`` for demo, ``http`` for a gateway),
chosen by ``IKTIPET_SMS_CHANNEL``. A channel raises :class:`DeliveryFailed` when a message
did not go out; the notification task records that and retries.
"""

from __future__ import annotations

import logging
import os
import smtplib
from abc import abstractmethod
from collections.abc import Sequence
from email import encoders
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import LazySettings, settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from iktipet.core.registry import Choice, Plugin, Registry
from iktipet.messaging.generated import GeneratedFile
from iktipet.messaging.masking import mask_phone
from iktipet.messaging.sms_gateway import SmsGatewayClient, SmsGatewayError

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """A message did not go out. ``str(exc)`` is for operators: no address, no text."""


class BaseNotificationChannel(Plugin):
    @abstractmethod
    def send(self, *, to: str, subject: str, body: str) -> None:
        """Deliver one message to ``to``; raise :class:`DeliveryFailed` if it did not go out.

        Email channels (:class:`BaseEmailChannel`) also take attachments and a sender name;
        SMS has neither.
        """


class BaseEmailChannel(BaseNotificationChannel):
    @abstractmethod
    def send(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        attachments: Sequence[GeneratedFile] = (),
        sender: str = "",
    ) -> None:
        """As :meth:`BaseNotificationChannel.send`, with ``attachments`` (made when the mail
        goes out) and ``sender``, the name the mail comes from."""


def _email_in_use(conf: Any) -> list[Choice]:
    """Email always goes through Django's backend, which ``IKTIPET_EMAIL_URL`` sets up."""
    return [Choice("django", "IKTIPET_EMAIL_URL")]


email_channels: Registry[BaseEmailChannel] = Registry(
    "email channel", BaseEmailChannel, choose=_email_in_use
)
sms_channels: Registry[BaseNotificationChannel] = Registry(
    "SMS channel", BaseNotificationChannel, setting="SMS_CHANNEL"
)


def _mime_part(generated_file: GeneratedFile) -> MIMEBase:
    # Built by hand: Django's attach() cannot give a text part parameters such as
    # text/calendar's method=REQUEST, which mail clients read to offer "add to calendar".
    maintype, _sep, subtype = generated_file.mimetype.partition("/")
    part: MIMEBase
    if maintype == "text":
        part = MIMEText(generated_file.content.decode("utf-8"), subtype, "utf-8")
    else:
        part = MIMEBase(maintype, subtype)
        part.set_payload(generated_file.content)
        encoders.encode_base64(part)
    for name, value in generated_file.params.items():
        part.set_param(name, value)
    part.add_header("Content-Disposition", "attachment", filename=generated_file.filename)
    return part


@email_channels.register("django")
class DjangoEmailChannel(BaseEmailChannel):
    label = "Django's email backend (IKTIPET_EMAIL_URL)"

    def __init__(self, *, from_email: str, backend: str | None = None) -> None:
        self.from_email = from_email
        self.backend = backend

    @classmethod
    def options_from_settings(cls, conf: LazySettings | Any) -> dict[str, Any]:
        return {"from_email": conf.DEFAULT_FROM_EMAIL, "backend": conf.EMAIL_BACKEND}

    def _from(self, sender: str) -> str:
        """IKTIPET_EMAIL_FROM's address under the sender's name ("Oslo kommune,
        Næringsetaten"), so the mail comes from the agency, not from the platform."""
        if not sender:
            return self.from_email
        return formataddr((sender, parseaddr(self.from_email)[1]))

    def check_config(self) -> list[str]:
        problems = []
        if not self.from_email or "@" not in self.from_email:
            problems.append("IKTIPET_EMAIL_FROM must be an email address.")
        return problems

    def send(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        attachments: Sequence[GeneratedFile] = (),
        sender: str = "",
    ) -> None:
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=self._from(sender),
            to=[to],
            connection=get_connection(self.backend),
        )
        for generated_file in attachments:
            message.attach(_mime_part(generated_file))
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(f"email: {type(exc).__name__}") from None


@sms_channels.register("console")
class ConsoleSmsChannel(BaseNotificationChannel):
    """Demo: a log line, and the message appended to ``<var>/sms/outbox.log``."""

    label = "SMS to the log and var/sms/outbox.log (demo)"

    def __init__(self, *, var_dir: Path | str) -> None:
        self.outbox = Path(var_dir) / "sms" / "outbox.log"

    @classmethod
    def options_from_settings(cls, conf: LazySettings | Any) -> dict[str, Any]:
        return {"var_dir": conf.VAR_DIR}

    def check_config(self) -> list[str]:
        existing = self.outbox.parent
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not os.access(existing, os.W_OK):
            return [f"{self.outbox.parent} is not writable: SMS cannot be written."]
        return []

    def send(self, *, to: str, subject: str, body: str) -> None:
        line = " ".join(body.split())
        try:
            self.outbox.parent.mkdir(parents=True, exist_ok=True)
            with self.outbox.open("a", encoding="utf-8") as handle:
                handle.write(f"{timezone.now().isoformat()}\t{to}\t{line}\n")
        except OSError as exc:
            raise DeliveryFailed(f"sms console: {type(exc).__name__}") from None
        logger.info("sms written to the outbox", extra={"to": mask_phone(to)})


@sms_channels.register("http")
class HttpSmsChannel(BaseNotificationChannel):
    label = "SMS gateway over HTTP (IKTIPET_SMS_URL, IKTIPET_SMS_TOKEN)"

    def __init__(self, *, url: str, token: str, timeout: float = 10.0) -> None:
        self.url = url
        self.token = token
        self.timeout = timeout

    @classmethod
    def options_from_settings(cls, conf: LazySettings | Any) -> dict[str, Any]:
        return {"url": conf.SMS_URL, "token": conf.SMS_TOKEN, "timeout": conf.SMS_TIMEOUT}

    def check_config(self) -> list[str]:
        problems = []
        parts = urlsplit(self.url or "")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            problems.append("IKTIPET_SMS_URL must be the gateway's http(s) URL.")
        elif parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            problems.append("IKTIPET_SMS_URL should use https: the token is sent with it.")
        if not self.token:
            problems.append("IKTIPET_SMS_TOKEN is not set: the gateway needs a bearer token.")
        return problems

    def send(self, *, to: str, subject: str, body: str) -> None:
        if not self.url:
            raise DeliveryFailed("sms http: IKTIPET_SMS_URL is not set")
        client = SmsGatewayClient(self.url, token=self.token, timeout=self.timeout)
        try:
            client.send(to=to, message=" ".join(body.split()))
        except SmsGatewayError as exc:
            raise DeliveryFailed(f"sms http: {exc}") from None
        finally:
            client.close()


def email_channel(conf: LazySettings | Any = settings) -> BaseEmailChannel:
    """The email channel built from settings."""
    return email_channels.configured(conf)


def sms_channel(conf: LazySettings | Any = settings) -> BaseNotificationChannel:
    """The SMS channel ``IKTIPET_SMS_CHANNEL`` names (default ``console``)."""
    return sms_channels.configured(conf)
