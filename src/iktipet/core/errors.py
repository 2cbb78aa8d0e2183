"""One refusal for every action: :class:`ActionRefused`, and one way to show it.

A service refuses what the person asked for (a case action, a message, a neighbour's
reply, an uploaded file) by raising ``ActionRefused`` with translated messages, each on the
form field it is about or on the whole action (:data:`NON_FIELD`)::

    raise ActionRefused(_("Saken er avsluttet."))                       # the whole action
    raise ActionRefused(_("Merknaden er for lang."), field="note")      # one field
    raise ActionRefused({"body": ..., "files": ...})                    # every problem at once

The rules live in the service, never in the view; the view catches the refusal and shows
the page again with :func:`refused_page`: the messages next to the form's fields, what was
typed kept, HTTP 400. A refusal stores nothing: services check before their transaction,
or raise inside it so that it rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.http import HttpResponse

#: The key of a message about the whole action rather than one field (as Django forms).
NON_FIELD = "__all__"


class ActionRefused(Exception):
    """The action cannot be taken; ``errors`` are translated messages by form field.

    ``code`` optionally names the reason for code (``"too_large"``); people read ``errors``.
    """

    def __init__(self, errors: str | Mapping[str, str], *, field: str = "", code: str = ""):
        if isinstance(errors, str):
            errors = {field or NON_FIELD: errors}
        if not errors:
            raise ValueError("ActionRefused needs at least one message.")
        self.errors: dict[str, str] = dict(errors)
        self.code = code
        super().__init__("; ".join(f"{key}: {value}" for key, value in self.errors.items()))

    @property
    def message(self) -> str:
        """The first message: the one to show where a page has room for only one."""
        return next(iter(self.errors.values()))

    def errors_for(
        self,
        fields: Collection[str],
        *,
        other: str = NON_FIELD,
        renamed: Mapping[str, str] | None = None,
    ) -> dict[str, str]:
        """The messages placed on a form: a service's field name is first ``renamed`` to the
        form's, and a message for no field in ``fields`` goes on ``other``."""
        placed: dict[str, str] = {}
        for key, text in self.errors.items():
            name = (renamed or {}).get(key, key)
            name = name if name in fields else other
            placed[name] = f"{placed[name]} {text}" if name in placed else text
        return placed


def refused_page(
    page: Callable[..., HttpResponse],
    refused: ActionRefused,
    *,
    fields: Collection[str] | None = None,
    other: str = NON_FIELD,
    renamed: Mapping[str, str] | None = None,
    status: int = 400,
    **context: Any,
) -> HttpResponse:
    """The page of a refused action, the one way every view shows a refusal.

    ``page`` renders the form's page given ``errors`` (field → message), ``status`` and the
    ``context`` the view passes (what the person typed, which form failed). With ``fields``
    the messages are placed on those fields as :meth:`ActionRefused.errors_for` does;
    without, they are passed as the service gave them.
    """
    errors = (
        refused.errors_for(fields, other=other, renamed=renamed)
        if fields is not None
        else dict(refused.errors)
    )
    return page(errors=errors, status=status, **context)
