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
import html
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from iktipet.core.csrf_html import csrf_input
from iktipet.core.dates import format_date


def e(value: Any) -> str:
    """``value`` as ``{{ value }}`` writes it (autoescape on): Django's ``conditional_escape``
    without its lazy-argument wrapper (~2 µs a call, a few hundred calls a page)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _meta_author(message: Any) -> str:
    if message.author_label:
        return e(message.author_label)
    if message.side == "system":
        return e(_("Systemmelding"))
    return e(capfirst(message.get_side_display()))


def _kind_tag(message: Any) -> str:
    if message.kind == "information_request":
        label = _("Ber om opplysninger")
        return f' <span class="ds-tag" data-color="warning">{e(label)}</span>'
    if message.kind == "answer":
        label = _("Svar")
        return f' <span class="ds-tag">{e(label)}</span>'
    return ""


def _files(files: list[Any], href_of: Callable[[Any], str]) -> str:
    if not files:
        return ""
    items = []
    for attachment in files:
        href = href_of(attachment)
        name = e(attachment.original_name)
        link = f'<a class="ds-link" href="{e(href)}" download>{name}</a>' if href else name
        items.append(f"\n      <li>{link} ({e(filesizeformat(attachment.size))})</li>\n      ")
    label = _("Vedlegg")
    return (
        f'\n    <ul class="ds-list thread__files" aria-label="{e(label)}">\n      '
        f"{''.join(items)}\n    </ul>\n    "
    )


@lru_cache(maxsize=4096)
def _when(language: str | None, zone: dt.tzinfo, moment: dt.datetime) -> tuple[str, str]:
    """A message's time for ``<time datetime>`` and to read, escaped, made once per process,
    language and time zone (``format_date`` ~35 µs a time; a message's time never changes).
    ``language`` is part of the key only: format_date uses the active one."""
    at = timezone.localtime(moment, zone)
    return e(at.isoformat()), e(format_date(at, "DATETIME_FORMAT"))


@receiver(setting_changed)
def _forget_times(**_: Any) -> None:
    _when.cache_clear()


def _message(message: Any, href_of: Callable[[Any], str]) -> str:
    # In the current time zone, as the template's ``date`` filter showed it: the including
    # page puts one {% timezone "Europe/Oslo" %} around itself.
    iso = when = ""
    if message.created_at:
        iso, when = _when(get_language(), timezone.get_current_timezone(), message.created_at)
    body = (
        f'<div class="ds-paragraph thread__body">{linebreaks(message.body, autoescape=True)}</div>'
        if message.body
        else ""
    )
    return (
        f'\n  <li class="ds-card thread__message thread__message--{e(message.side)}"'
        f' id="melding-{e(message.pk)}">\n'
        f'    <p class="ds-paragraph thread__meta"><strong>{_meta_author(message)}</strong>'
        f"{_kind_tag(message)}\n"
        f'      · <time datetime="{iso}">{when}</time></p>\n'
        f"    {body}\n"
        f"    {_files(getattr(message, 'files', None) or [], href_of)}\n"
        f"  </li>\n  "
    )


def thread_html(messages: Iterable[Any], href_of: Callable[[Any], str]) -> SafeString:
    """The thread's messages (``selectors.messages_of``: each with its ``files``), oldest
    first; ``href_of(attachment)`` is a file's download address ("" for none: no link)."""
    found = list(messages)
    if not found:
        empty = e(_("Ingen meldinger ennå."))
        return mark_safe(f'\n<p class="ds-paragraph">{empty}</p>\n')  # noqa: S308 (escaped)
    items = "".join(_message(message, href_of) for message in found)
    label = e(_("Meldinger"))
    return mark_safe(f'\n<ol class="thread" aria-label="{label}">\n  {items}\n</ol>\n')  # noqa: S308


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
    errors = errors or {}
    body_error = errors.get("body")
    files_error = errors.get("files")
    summary = ""
    if errors:
        links = ""
        if body_error:
            links += f'<li><a class="ds-link" href="#reply-body">{e(body_error)}</a></li>'
        files_link = (
            f'<li><a class="ds-link" href="#reply-files">{e(files_error)}</a></li>'
            if files_error
            else ""
        )
        heading = _("Meldingen ble ikke sendt. Rett opp følgende:")
        summary = (
            '\n<div class="ds-error-summary" role="alert" aria-labelledby="reply-error-heading"'
            ' tabindex="-1" id="reply-error-summary">\n'
            '  <h2 class="ds-heading" data-size="xs" id="reply-error-heading">'
            f"{e(heading)}</h2>\n"
            '  <ul class="ds-list">\n'
            f"    {links}\n"
            f"    {files_link}\n"
            "  </ul>\n</div>\n"
        )
    body_aria = ' aria-invalid="true" aria-describedby="reply-body-error"' if body_error else ""
    body_message = (
        '<div class="ds-validation-message" data-field="validation" id="reply-body-error">'
        f"{e(body_error)}</div>"
        if body_error
        else ""
    )
    files_described = " reply-files-error" if files_error else ""
    files_invalid = ' aria-invalid="true"' if files_error else ""
    files_message = (
        '<div class="ds-validation-message" data-field="validation" id="reply-files-error">'
        f"{e(files_error)}</div>"
        if files_error
        else ""
    )
    # Outside the f-string: xgettext does not look into an f-string's expressions.
    message_label = _("Melding")
    files_label = _("Vedlegg (valgfritt)")
    files_hint = _("PDF, PNG eller JPEG. Høyst 10 filer.")
    send_label = _("Send melding")
    return mark_safe(  # noqa: S308 (every value escaped above)
        f"{summary}\n"
        f'<form method="post" action="{e(action)}" enctype="multipart/form-data"'
        ' class="reply-form" novalidate>\n'
        f"  {csrf_input(csrf_token)}\n"
        '  <div class="ds-field">\n'
        f'    <label class="ds-label" for="reply-body">{e(label or message_label)}</label>\n'
        '    <textarea class="ds-input" id="reply-body" name="body" rows="6" maxlength="10000"'
        f"{body_aria}>{e(body)}</textarea>\n"
        f"    {body_message}\n"
        "  </div>\n"
        '  <div class="ds-field">\n'
        f'    <label class="ds-label" for="reply-files">{e(files_label)}</label>\n'
        '    <div data-field="description" id="reply-files-hint">'
        f"{e(files_hint)}</div>\n"
        '    <input class="ds-input" type="file" id="reply-files" name="files" multiple'
        ' accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"'
        f' aria-describedby="reply-files-hint{files_described}"{files_invalid}>\n'
        f"    {files_message}\n"
        "  </div>\n"
        f'  <button class="ds-button" type="submit">{e(send_label)}</button>\n'
        "</form>"
    )
