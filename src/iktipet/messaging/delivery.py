"""One delivery attempt of a notification: whom to reach, how, and what happened.

Called by :func:`iktipet.messaging.tasks.send_notification`, which owns retries. Every
try on a channel is a :class:`DeliveryAttempt` row and a log line without personal data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from iktipet.accounts import pid as pid_crypto
from iktipet.core.selectors import current_municipality
from iktipet.messaging import channels, generated
from iktipet.messaging.events import Rendered, render_notice
from iktipet.messaging.masking import mask_email, mask_phone
from iktipet.messaging.models import DeliveryAttempt, Notification, PrintLetter
from iktipet.registers.contact import ContactInfo, contact_register
from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.population import PersonRecord, population_register

logger = logging.getLogger(__name__)
Status = Notification.Status
Channel = DeliveryAttempt.Channel


@dataclass(frozen=True)
class Outcome:
    status: str  # a final Notification.Status, or PENDING to try again later
    error: str = ""


def _log(notification: Notification, channel: str, to_masked: str, error: str = "") -> None:
    DeliveryAttempt.objects.create(
        notification=notification, channel=channel, to_masked=to_masked, ok=not error, error=error
    )
    logger.log(
        logging.WARNING if error else logging.INFO,
        "notification delivery attempt",
        extra={
            "notification": str(notification.pk),
            "event": notification.event,
            "channel": channel,
            "ok": not error,
            "attempt": notification.attempts,
            "error": error,
        },
    )


def _language(notification: Notification, contact: ContactInfo | None) -> str:
    # KRR's spraak may be nn or se; we write nb and en, so anything but en reads nb.
    chosen = notification.language or (contact.language if contact else None) or ""
    return "en" if (chosen or settings.LANGUAGE_CODE).startswith("en") else "nb"


def render(notification: Notification, language: str) -> Rendered:
    context = dict(notification.context)
    if notification.agency is not None and "agency_name" not in context:
        with translation.override(language):
            context["agency_name"] = notification.agency.name
    url = f"{settings.BASE_URL}{notification.link_path}"
    return render_notice(notification.event, language=language, context=context, url=url)


def sender_name(notification: Notification, language: str) -> str:
    """Who speaks, in the notice's language: "Oslo kommune, Næringsetaten" (the agency in
    the municipality's name), or the municipality alone for a notice of no agency."""
    agency = notification.agency
    if agency is None:
        return current_municipality().name
    with translation.override(language):
        return f"{agency.municipality.name}, {agency.name}"


def deliver(notification: Notification) -> Outcome:
    if notification.recipient_pid_encrypted:
        return _deliver_to_person(
            notification, pid_crypto.decrypt_pid(notification.recipient_pid_encrypted)
        )
    user = notification.recipient_user
    if user is None or not user.email:
        return Outcome(Status.NO_CHANNEL, "no email address for the user")
    language = _language(notification, None)
    rendered = render(notification, language)
    sender = sender_name(notification, language)
    return _send(notification, rendered, [(Channel.EMAIL, user.email)], sender)


def _deliver_to_person(notification: Notification, pid: str) -> Outcome:
    try:
        contact = contact_register().get_contact(pid)
    except RegisterUnavailable as exc:
        _log(notification, Channel.REGISTER, "", str(exc))
        return Outcome(Status.PENDING, str(exc))
    targets: list[tuple[str, str]] = []
    if contact is not None and contact.digital:
        targets = [(Channel.EMAIL, contact.email or ""), (Channel.SMS, contact.mobile or "")]
        targets = [(channel, to) for channel, to in targets if to]
    language = _language(notification, contact)
    rendered = render(notification, language)
    if not targets:
        # Reserved, not registered, stale contact data, or nothing to send to: paper.
        return _queue_letter(notification, pid, rendered)
    return _send(notification, rendered, targets, sender_name(notification, language))


def _send(
    notification: Notification,
    rendered: Rendered,
    targets: list[tuple[str, str]],
    sender: str,
) -> Outcome:
    # A retry sends only on the channels that have not succeeded yet (the first attempt has
    # no earlier one to look up).
    done = (
        set(notification.delivery_attempts.filter(ok=True).values_list("channel", flat=True))
        if notification.attempts > 1
        else set()
    )
    errors: list[str] = []
    # Made once, now: the file shows the object as it is when the notice goes out.
    files = generated.render(notification.attachment) if notification.attachment else []
    for channel, to in targets:
        if channel in done:
            continue
        masked = mask_email(to) if channel == Channel.EMAIL else mask_phone(to)
        try:
            if channel == Channel.EMAIL:
                channels.email_channel().send(
                    to=to,
                    subject=rendered.subject,
                    body=rendered.body,
                    attachments=files,
                    sender=sender,
                )
            else:
                # An SMS has no sender line of its own: it starts by saying who speaks.
                channels.sms_channel().send(
                    to=to, subject=rendered.subject, body=f"{sender}: {rendered.sms}"
                )
        except channels.DeliveryFailed as exc:
            _log(notification, channel, masked, str(exc))
            errors.append(str(exc))
            continue
        _log(notification, channel, masked)
    if errors:
        return Outcome(Status.PENDING, "; ".join(errors))
    return Outcome(Status.SENT)


def _address_lines(person: PersonRecord | None) -> str:
    if person is None or person.address is None or person.address_protected:
        return ""
    address = person.address
    return f"{address.street}\n{address.postnummer} {address.poststed}"


def _queue_letter(notification: Notification, pid: str, rendered: Rendered) -> Outcome:
    if notification.agency is None:
        return Outcome(Status.NO_CHANNEL, "not digital and no agency to send a letter")
    try:
        person = population_register().get_person(pid)
    except RegisterUnavailable as exc:
        _log(notification, Channel.REGISTER, "", str(exc))
        return Outcome(Status.PENDING, str(exc))
    address = _address_lines(person)
    letter = {
        "agency": notification.agency,
        "recipient_name": person.full_name if person else "",
        "address": address,
        "address_unknown": not address,
        "subject": rendered.subject[:200],
        "body": rendered.body,
    }
    if notification.attempts > 1:  # an earlier attempt may have queued it already
        PrintLetter.objects.get_or_create(notification=notification, defaults=letter)
    else:
        PrintLetter.objects.create(notification=notification, **letter)
    _log(notification, Channel.PRINT, "")
    return Outcome(Status.PRINT_QUEUED)
