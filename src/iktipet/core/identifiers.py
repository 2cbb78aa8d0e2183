"""Norwegian identifiers: fødselsnummer/d-nummer, organisasjonsnummer, kontonummer, kommunenummer.

Checksums come from python-stdnum. What stdnum does not know is the test data used by the
national test environments, which we must accept in demo and test but never in production:

* **Tenor** (Skatteetaten's synthetic population, used by ID-porten's TestID): month + 80.
* **Dolly** (NAV's test data generator): month + 40. stdnum takes these for *H-numbers*
  (hjelpenummer from the health sector), which ID-porten never issues, so we treat the +40
  range as synthetic only.

Both kinds carry valid mod-11 check digits over the digits as written. Which ones are
accepted is decided by the caller (``allow_synthetic``), normally from
``settings.ALLOW_SYNTHETIC_IDS``; nothing here reads settings.

Every validator raises :class:`InvalidIdentifier` (a ``ValueError``) with a translated
message fit to show next to a form field, and nothing else, whatever the input.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _
from stdnum.no import fodselsnummer as _fnr
from stdnum.no import kontonr as _kontonr
from stdnum.no import orgnr as _orgnr

__all__ = [
    "InvalidIdentifier",
    "birth_date_from_fodselsnummer",
    "format_kontonummer",
    "is_synthetic_fodselsnummer",
    "mask_fodselsnummer",
    "validate_fodselsnummer",
    "validate_kommunenummer",
    "validate_kontonummer",
    "validate_orgnr",
]

_WHITESPACE = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s.]+")


def _digits(value: object, length: int) -> str | None:
    """``value`` without whitespace if it is exactly ``length`` ASCII digits, else None."""
    if not isinstance(value, str):
        return None
    compact = _WHITESPACE.sub("", value)
    if len(compact) == length and compact.isascii() and compact.isdigit():
        return compact
    return None


class InvalidIdentifier(ValueError):
    """An identifier failed validation. ``str(exc)`` is a translated, user-facing message."""

    def __init__(self, message: str, code: str) -> None:
        self.message = message
        self.code = code
        super().__init__(message)


# --- Fødselsnummer ------------------------------------------------------------------------

_REAL, _DOLLY, _TENOR = "real", "dolly", "tenor"


def _century(individual: int, year: int) -> int | None:
    """The century rule of the fødselsnummer (individual number ranges)."""
    if individual < 500:
        return 1900
    if individual < 750 and year >= 54:
        return 1800
    if individual >= 500 and year < 40:
        return 2000
    if individual >= 900 and year >= 40:
        return 1900
    return None


def _parse_fodselsnummer(number: str) -> tuple[datetime.date, str]:
    """Birth date and kind (real/dolly/tenor) of an 11-digit number with valid check digits."""
    invalid_date = InvalidIdentifier(
        _("Fødselsnummeret inneholder ikke en gyldig fødselsdato."), "invalid_date"
    )
    day, month, year = int(number[0:2]), int(number[2:4]), int(number[4:6])
    if 41 <= day <= 71:  # d-nummer: the first digit is raised by 4
        day -= 40
    if 81 <= month <= 92:
        kind, month = _TENOR, month - 80
    elif 41 <= month <= 52:
        kind, month = _DOLLY, month - 40
    else:
        kind = _REAL
    century = _century(int(number[6:9]), year)
    if century is None:
        raise invalid_date
    try:
        born = datetime.date(century + year, month, day)
    except ValueError:
        raise invalid_date from None
    if born > datetime.date.today():
        raise invalid_date
    return born, kind


def _checked_fodselsnummer(value: object) -> tuple[str, datetime.date, str]:
    if not isinstance(value, str) or not _WHITESPACE.sub("", value):
        raise InvalidIdentifier(_("Skriv inn fødselsnummer (11 siffer)."), "required")
    number = _digits(value, 11)
    if number is None:
        raise InvalidIdentifier(_("Fødselsnummeret må ha 11 siffer."), "format")
    if number[9] != _fnr.calc_check_digit1(number) or number[10] != _fnr.calc_check_digit2(number):
        raise InvalidIdentifier(
            _("Fødselsnummeret er ikke gyldig. Kontroller at du har skrevet det riktig."),
            "checksum",
        )
    born, kind = _parse_fodselsnummer(number)
    return number, born, kind


def validate_fodselsnummer(value: str, *, allow_synthetic: bool) -> str:
    """The fødselsnummer or d-nummer as 11 digits, spaces removed.

    Synthetic test numbers (Tenor month + 80, Dolly month + 40) pass only when
    ``allow_synthetic`` is true.
    """
    number, _born, kind = _checked_fodselsnummer(value)
    if kind != _REAL and not allow_synthetic:
        raise InvalidIdentifier(
            _("Dette er et syntetisk testnummer. Det kan ikke brukes her."), "synthetic"
        )
    return number


def is_synthetic_fodselsnummer(value: str) -> bool:
    """True for a valid Tenor or Dolly test number; False for anything else."""
    try:
        return _checked_fodselsnummer(value)[2] != _REAL
    except InvalidIdentifier:
        return False


def birth_date_from_fodselsnummer(value: str) -> datetime.date:
    """The birth date in a (valid) fødselsnummer, d-nummer or synthetic test number."""
    return _checked_fodselsnummer(value)[1]


def mask_fodselsnummer(value: str) -> str:
    """``"170190 *****"``: the date part only. Never raises; never reveals more than 6 digits."""
    number = _digits(value, 11)
    if number is None:
        return "*" * 6 + " *****"
    return f"{number[:6]} *****"


# --- Organisasjonsnummer, kontonummer, kommunenummer ----------------------------------------


def validate_orgnr(value: str) -> str:
    """The organisasjonsnummer as 9 digits (spaces removed), check digit verified."""
    if not isinstance(value, str) or not _WHITESPACE.sub("", value):
        raise InvalidIdentifier(_("Skriv inn organisasjonsnummer (9 siffer)."), "required")
    number = _digits(value, 9)
    if number is None:
        raise InvalidIdentifier(_("Organisasjonsnummeret må ha 9 siffer."), "format")
    if not _orgnr.is_valid(number):
        raise InvalidIdentifier(
            _("Organisasjonsnummeret er ikke gyldig. Kontroller at du har skrevet det riktig."),
            "checksum",
        )
    return number


def validate_kontonummer(value: str) -> str:
    """The bank account number as 11 digits (spaces and dots removed), check digit verified."""
    if not isinstance(value, str) or not _SEPARATORS.sub("", value):
        raise InvalidIdentifier(_("Skriv inn kontonummer (11 siffer)."), "required")
    number = _SEPARATORS.sub("", value)
    if not (len(number) == 11 and number.isascii() and number.isdigit()):
        raise InvalidIdentifier(_("Kontonummeret må ha 11 siffer."), "format")
    if not _kontonr.is_valid(number):
        raise InvalidIdentifier(
            _("Kontonummeret er ikke gyldig. Kontroller at du har skrevet det riktig."),
            "checksum",
        )
    return number


def format_kontonummer(value: str) -> str:
    """``"1234.56.78903"`` for a valid kontonummer."""
    number = validate_kontonummer(value)
    return f"{number[:4]}.{number[4:6]}.{number[6:]}"


def validate_kommunenummer(value: str) -> str:
    """A kommunenummer: 4 digits, the first two a fylke number (01–99).

    Only the form is checked: the list of municipalities changes with every reform, and
    historic numbers still occur in registers.
    """
    if not isinstance(value, str) or not _WHITESPACE.sub("", value):
        raise InvalidIdentifier(_("Skriv inn kommunenummer (4 siffer)."), "required")
    number = _digits(value, 4)
    if number is None or number.startswith("00"):
        raise InvalidIdentifier(_("Kommunenummeret må ha 4 siffer."), "format")
    return number
