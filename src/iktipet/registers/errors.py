"""Errors every register adapter raises instead of crashing or leaking a transport error."""

from __future__ import annotations

from django.utils.translation import gettext


class RegisterError(Exception):
    """Base class for register failures."""


class RegisterUnavailable(RegisterError):
    """A register could not give an answer: unreachable, timed out, failed, or sent nonsense.

    ``str(exc)`` is for logs and operators (register and reason; never a fødselsnummer).
    ``user_message`` is a translated sentence for the person waiting on a page.
    """

    def __init__(self, register: str, reason: str) -> None:
        self.register = register
        self.reason = reason
        super().__init__(f"{register}: {reason}")

    @property
    def user_message(self) -> str:
        return gettext(
            "Vi får ikke hentet opplysninger fra et offentlig register akkurat nå. "
            "Prøv igjen om litt."
        )
