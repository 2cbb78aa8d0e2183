"""Text that people type: which characters it may hold, and the message when it holds others.

PostgreSQL refuses NUL in ``text`` and ``\\u0000`` in ``jsonb`` (a 500 when it reaches the
database), and the other control characters have no place in a message, a name or a search
either: they are invisible, break the PDF and archive exports, and are a way to smuggle
content past a reader. So every text input refuses them with a message on its field and is
shown again as typed:

- Django forms use :class:`TextField` (or :func:`validate_text` as a validator);
- the form engine and the services that take text without a form call
  :func:`disallowed_text_error` and put the message on their own field;
- query parameters no form reads are refused by
  :class:`iktipet.ops.request_limits.QueryTextMiddleware`.

Allowed: tab, line feed and carriage return (a textarea posts CRLF). Refused: the other C0
controls, DEL, the C1 controls and lone surrogates (which no UTF-8 text can hold, but a
JSON ``\\ud800`` escape can).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DISALLOWED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def has_disallowed_characters(value: Any) -> bool:
    """Whether ``value`` (a string, or lists and dicts of them, keys included) holds a
    character no text input accepts."""
    if isinstance(value, str):
        return DISALLOWED.search(value) is not None
    if isinstance(value, Mapping):
        return any(
            has_disallowed_characters(k) or has_disallowed_characters(v) for k, v in value.items()
        )
    if isinstance(value, list | tuple | set | frozenset):
        return any(has_disallowed_characters(item) for item in value)
    return False


def disallowed_characters_message() -> str:
    return _(
        "Teksten inneholder et usynlig kontrolltegn som ikke er tillatt (for eksempel "
        "etter kopiering fra et annet program). Fjern det og prøv igjen."
    )


def disallowed_text_error(value: Any) -> str | None:
    """The message for a field whose input holds a refused character, else None."""
    return disallowed_characters_message() if has_disallowed_characters(value) else None


def validate_text(value: Any) -> None:
    """A Django validator: :class:`ValidationError` (code ``control_character``)."""
    if has_disallowed_characters(value):
        raise ValidationError(disallowed_characters_message(), code="control_character")


class TextField(forms.CharField):
    """A CharField that refuses control characters (Django's own refuses only NUL, with a
    message that does not say what to do)."""

    def to_python(self, value: Any) -> Any:
        # Before stripping: "\x1f" is whitespace to str.strip() and would vanish unnoticed.
        validate_text(value)
        return super().to_python(value)


def validates_query_text(view: Any) -> Any:
    """Mark a view that checks its own query parameters (a search form shown with an error
    on its field) so :class:`~iktipet.ops.request_limits.QueryTextMiddleware` lets it."""
    view.validates_query_text = True
    return view
