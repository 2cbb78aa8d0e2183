"""A thread's messages and the reply form as HTML, written in Python (issue 13).

Both case pages show the thread, and Django's template engine cost ~0.5 ms a message for it
(a ``{% translate %}`` per message, the ``date`` and ``linebreaks`` filters, a nested loop
over the files with a tag per file), the reply form another ~0.3 ms (a dozen ``{% if %}``
and translations, its include). This module writes the same markup, byte for byte, as the
templates it replaced (``tests/messaging/test_messaging_thread_html.py`` renders the old
templates beside it over varied messages, in Norwegian and English), and the templates
``messaging/_thread.html`` and ``messaging/_reply_form.html`` call it, so a page that
includes them gets the same HTML for less.

Every value from a message, a file, a translation or the request is escaped as the
template engine escapes ``{{ value }}`` (:func:`e`: what ``conditional_escape`` does).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from iktipet.core.csrf_html import csrf_input
from iktipet.core.dates import format_date
from iktipet.core.html import esc, linebreaks
from iktipet.core.per_language import per_language
from iktipet.messaging.models import Message


@per_language
def _texts() -> dict[str, Any]:
    """The thread's and the reply form's fixed texts, escaped, made once per language
    (core.per_language) instead of a gettext per message and six per form."""
    # Plain gettext calls: makemessages reads none inside an f-string.
    request, answer = esc(_("Ber om opplysninger")), esc(_("Svar"))
    empty, messages = esc(_("Ingen meldinger ennå.")), esc(_("Meldinger"))
    return {
        "system": esc(_("Systemmelding")),
        "request": f' <span class="ds-tag" data-color="warning">{request}</span>',
        "answer": f' <span class="ds-tag">{answer}</span>',
        "files": esc(_("Vedlegg")),
        "empty": f'\n<p class="ds-paragraph">{empty}</p>\n',
        "messages": f'\n<ol class="thread" aria-label="{messages}">\n  ',
        # Message.get_side_display, capitalised (the template's ``|capfirst``).
        "sides": {side: esc(capfirst(str(label))) for side, label in Message.Side.choices},
        # A message's class and id: the side escaped once per side, as with any value.
        "classes": {
            side: f'\n  <li class="ds-card thread__message thread__message--{esc(side)}"'
            ' id="melding-'
            for side in Message.Side.values
        },
        "heading": esc(_("Meldingen ble ikke sendt. Rett opp følgende:")),
        "message": esc(_("Melding")),
        "files_label": esc(_("Vedlegg (valgfritt)")),
        "files_hint": esc(_("PDF, PNG eller JPEG. Høyst 10 filer.")),
        "send": esc(_("Send melding")),
    }


@lru_cache(maxsize=1024)
def _size(language: str | None, size: int) -> str:
    """``size|filesizeformat``, escaped, once per process, language and size (the filter
    goes through its lazy and number-formatting wrappers on every call). ``language`` is
    part of the key only: the filter uses the active one."""
    return esc(filesizeformat(size))


def _files(files: list[Any], href_of: Callable[[Any], str], label: str) -> str:
    language = get_language()
    items = []
    for attachment in files:
        href = href_of(attachment)
        name = esc(attachment.original_name)
        link = f'<a class="ds-link" href="{esc(href)}" download>{name}</a>' if href else name
        items.append(f"\n      <li>{link} ({_size(language, attachment.size)})</li>\n      ")
    return (
        f'\n    <ul class="ds-list thread__files" aria-label="{label}">\n      '
        f"{''.join(items)}\n    </ul>\n    "
    )


@lru_cache(maxsize=4096)
def _when(language: str | None, zone: dt.tzinfo, moment: dt.datetime) -> tuple[str, str]:
    """A message's time for ``<time datetime>`` and to read, escaped, made once per process,
    language and time zone (``format_date`` ~35 µs a time; a message's time never changes).
    ``language`` is part of the key only: format_date uses the active one."""
    at = timezone.localtime(moment, zone)
    return esc(at.isoformat()), esc(format_date(at, "DATETIME_FORMAT"))


@receiver(setting_changed)
def _forget_times(**_: Any) -> None:
    _when.cache_clear()
    _size.cache_clear()


def thread_html(messages: Iterable[Any], href_of: Callable[[Any], str]) -> SafeString:
    """The thread's messages (``selectors.messages_of``: each with its ``files``), oldest
    first; ``href_of(attachment)`` is a file's download address ("" for none: no link).

    In the current time zone, as the template's ``date`` filter showed it: the including
    page puts one {% timezone "Europe/Oslo" %} around itself."""
    texts = _texts()
    found = list(messages)
    if not found:
        return mark_safe(texts["empty"])  # noqa: S308 (escaped)
    language = get_language()
    zone = timezone.get_current_timezone()
    sides, classes = texts["sides"], texts["classes"]
    kinds = {"information_request": texts["request"], "answer": texts["answer"]}
    items = [texts["messages"]]
    for message in found:
        side = message.side
        if message.author_label:
            author = esc(message.author_label)
        elif side == "system":
            author = texts["system"]
        else:
            author = sides.get(side) or esc(capfirst(message.get_side_display()))
        iso = when = ""
        if message.created_at:
            iso, when = _when(language, zone, message.created_at)
        body = message.body
        files = getattr(message, "files", None)
        pk = message.pk
        start = classes.get(side) or (
            f'\n  <li class="ds-card thread__message thread__message--{esc(side)}" id="melding-'
        )
        items.append(
            # A UUID needs no escaping (hex digits and hyphens).
            f'{start}{pk if type(pk) is uuid.UUID else esc(pk)}">\n'
            f'    <p class="ds-paragraph thread__meta"><strong>{author}</strong>'
            f"{kinds.get(message.kind, '')}\n"
            f'      · <time datetime="{iso}">{when}</time></p>\n'
            "    "
            + (f'<div class="ds-paragraph thread__body">{linebreaks(body)}</div>' if body else "")
            + "\n    "
            + (_files(files, href_of, texts["files"]) if files else "")
            + "\n  </li>\n  "
        )
    items.append("\n</ol>\n")
    return mark_safe("".join(items))  # noqa: S308 (every value escaped above)


def reply_form_html(
    *,
    action: Any,
    errors: Mapping[str, Any] | None,
    body: Any,
    label: Any,
    csrf_token: Any,
) -> SafeString:
    """The reply form: ``errors`` (``ActionRefused.errors``) in its summary and next to the
    fields, ``body`` (what was typed) kept after an error, ``label`` the text field's label
    ("Melding" when none)."""
    texts = _texts()
    errors = errors or {}
    body_error = errors.get("body")
    files_error = errors.get("files")
    summary = ""
    if errors:
        links = ""
        if body_error:
            links += f'<li><a class="ds-link" href="#reply-body">{esc(body_error)}</a></li>'
        files_link = (
            f'<li><a class="ds-link" href="#reply-files">{esc(files_error)}</a></li>'
            if files_error
            else ""
        )
        summary = (
            '\n<div class="ds-error-summary" role="alert" aria-labelledby="reply-error-heading"'
            ' tabindex="-1" id="reply-error-summary">\n'
            '  <h2 class="ds-heading" data-size="xs" id="reply-error-heading">'
            f"{texts['heading']}</h2>\n"
            '  <ul class="ds-list">\n'
            f"    {links}\n"
            f"    {files_link}\n"
            "  </ul>\n</div>\n"
        )
    body_aria = ' aria-invalid="true" aria-describedby="reply-body-error"' if body_error else ""
    body_message = (
        '<div class="ds-validation-message" data-field="validation" id="reply-body-error">'
        f"{esc(body_error)}</div>"
        if body_error
        else ""
    )
    files_described = " reply-files-error" if files_error else ""
    files_invalid = ' aria-invalid="true"' if files_error else ""
    files_message = (
        '<div class="ds-validation-message" data-field="validation" id="reply-files-error">'
        f"{esc(files_error)}</div>"
        if files_error
        else ""
    )
    label_html = esc(label) if label else texts["message"]
    return mark_safe(  # noqa: S308 (every value escaped above)
        f"{summary}\n"
        f'<form method="post" action="{esc(action)}" enctype="multipart/form-data"'
        ' class="reply-form" novalidate>\n'
        f"  {csrf_input(csrf_token)}\n"
        '  <div class="ds-field">\n'
        f'    <label class="ds-label" for="reply-body">{label_html}</label>\n'
        '    <textarea class="ds-input" id="reply-body" name="body" rows="6" maxlength="10000"'
        f"{body_aria}>{esc(body)}</textarea>\n"
        f"    {body_message}\n"
        "  </div>\n"
        '  <div class="ds-field">\n'
        f'    <label class="ds-label" for="reply-files">{texts["files_label"]}</label>\n'
        '    <div data-field="description" id="reply-files-hint">'
        f"{texts['files_hint']}</div>\n"
        '    <input class="ds-input" type="file" id="reply-files" name="files" multiple'
        ' accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"'
        f' aria-describedby="reply-files-hint{files_described}"{files_invalid}>\n'
        f"    {files_message}\n"
        "  </div>\n"
        f'  <button class="ds-button" type="submit">{texts["send"]}</button>\n'
        "</form>"
    )
