"""The events we notify people about, and how a notice for one is written.

Each event has a template ``messaging/notifications/<event>.txt``: header lines
(``Subject: …``, ``SMS: …``) up to the first blank line, then the body. Templates are
rendered under ``translation.override(language)``; their msgids are Norwegian bokmål.
A notice carries no personal data beyond what the person needs: what happened, the
reference, and a link to Min side where they log in to read the rest.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine
from django.utils import translation

from iktipet.core.money import format_nok

LANGUAGES = ("nb", "en")


@dataclass(frozen=True)
class Event:
    name: str
    description: str  # for operators, in English


EVENTS: dict[str, Event] = {
    event.name: event
    for event in [
        Event("case.received", "To the applicant: the case was received (reference)."),
        Event("case.information_requested", "To the applicant: the agency asks for more."),
        Event("case.message", "To the applicant: a new message from the case worker."),
        Event("case.decided", "To the applicant: a decision (vedtak) was made."),
        Event("case.appeal_received", "To the applicant: the appeal (klage) was received."),
        Event("case.closed", "To the applicant: the case was closed."),
        Event("nabovarsel.notice", "To a neighbour: notice of a building project, reply by date."),
        Event("nabovarsel.reply", "To the applicant: a neighbour has replied to the notice."),
        Event("nabovarsel.deadline_passed", "To the applicant: the neighbours' deadline passed."),
        Event("barnehage.offer", "To a parent: a kindergarten place is offered, answer by date."),
        Event("barnehage.offer_expired", "To a parent: the offer expired without an answer."),
        Event("payment.claim", "To the payer: a payment claim to pay on Min side by a date."),
        Event("payment.refunded", "To the payer: (part of) a payment was refunded (amount)."),
        Event("booking.confirmed", "To the person: the booking is confirmed (time, place)."),
        Event("booking.changed", "To the person: the booking was moved to another time."),
        Event("booking.cancelled", "To the person: the booking was cancelled."),
        Event("booking.reminder", "To the person: a reminder before the booked time."),
        Event("booking.waitlist_offer", "To the next on a waitlist: a place is held for them."),
    ]
}

#: The only context keys a notice may use: none of them is personal. ``amount_ore`` is an
#: amount in øre, written out in the notice's language (``amount``); ``amount`` is text
#: already written in the language the caller knows the notice goes out in.
CONTEXT_KEYS = frozenset(
    {"reference", "service_title", "deadline", "agency_name", "when", "amount", "amount_ore"}
)
#: Eleven digits standing alone. The hex neighbours are excluded so that a UUID in a path,
#: whose last group can hold eleven digits in a row, is not taken for one.
_PID_LIKE = re.compile(r"(?<![0-9A-Fa-f])\d{6}\s?\d{5}(?![0-9A-Fa-f])")


def clean_context(context: dict[str, Any] | None) -> dict[str, str]:
    """The context as JSON-safe strings; ValueError for unknown keys or a fødselsnummer."""
    cleaned: dict[str, str] = {}
    for key, value in (context or {}).items():
        if key not in CONTEXT_KEYS:
            raise ValueError(
                f"Unknown notification context key {key!r} (allowed: {sorted(CONTEXT_KEYS)})."
            )
        if value is None:
            continue
        if key == "amount_ore":
            # A number, not a person: checked as one (a large amount has eleven digits).
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError("Notification context 'amount_ore' must be an int (øre).")
            cleaned[key] = str(value)
            continue
        text = value.isoformat() if isinstance(value, datetime.date) else str(value)
        if _PID_LIKE.search(text):
            raise ValueError(f"Notification context {key!r} looks like a fødselsnummer.")
        cleaned[key] = text[:200]
    return cleaned


def check_link_path(link_path: str) -> str:
    """A path on this site (``/min-side/…``): never another host, never a query string."""
    if not link_path.startswith("/") or link_path.startswith("//") or "?" in link_path:
        raise ValueError(f"link_path must be a path on this site, not {link_path!r}.")
    if _PID_LIKE.search(link_path):
        raise ValueError("link_path must not contain a fødselsnummer.")
    return link_path


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    sms: str


@functools.cache
def _engine() -> Engine:
    # Plain text: nothing is HTML-escaped (a service title with "&" stays as it is).
    return Engine(app_dirs=True, autoescape=False, libraries={"i18n": "django.templatetags.i18n"})


def _deadline(value: str | None) -> datetime.date | str | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return value


def _amount(context: dict[str, str], language: str) -> dict[str, Any]:
    """``amount_ore`` as a number and ``amount`` as the person reads it in ``language``
    ("1 250,00 kr", "NOK 1,250.00"), the same as on the pages (:func:`format_nok`)."""
    try:
        ore = int(context["amount_ore"])
    except (KeyError, ValueError):
        return {}
    return {"amount_ore": ore, "amount": format_nok(ore, language)}


def render_notice(event: str, *, language: str, context: dict[str, str], url: str) -> Rendered:
    """Subject, body and a one-line SMS for ``event`` in ``language`` (nb when unknown)."""
    if event not in EVENTS:
        raise ValueError(f"Unknown notification event {event!r}.")
    language = language if language in LANGUAGES else "nb"
    values: dict[str, Any] = {
        **context,
        "deadline": _deadline(context.get("deadline")),
        **_amount(context, language),
        "url": url,
    }
    with translation.override(language):
        template = _engine().get_template(f"messaging/notifications/{event}.txt")
        text = template.render(Context(values, autoescape=False))
    return parse_notice(text, url)


def parse_notice(text: str, url: str) -> Rendered:
    head, _sep, body = text.strip().partition("\n\n")
    headers: dict[str, str] = {}
    for line in head.splitlines():
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    subject = headers.get("subject", "")
    if not subject:
        raise ValueError("A notification template must start with a 'Subject:' line.")
    # Blank lines the template tags leave behind are collapsed: two at most.
    body = re.sub(r"\n{3,}", "\n\n", body.strip()) + "\n"
    sms = " ".join((headers.get("sms") or subject).split())
    return Rendered(subject=subject, body=body, sms=f"{sms} {url}")
