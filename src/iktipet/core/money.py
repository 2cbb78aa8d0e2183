"""Money in NOK: kept as integer øre, parsed from what people type, shown in Norwegian or English.

Amounts are ``int`` øre everywhere (model fields, rules, payment orders): never a float, and
never kroner with a decimal part. Convert at the edges only: :func:`parse_nok` for what a
person typed, :func:`ore_from_kroner` for a number of kroner (a fee a rule computed), and
:func:`format_nok` for showing one.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import translation

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_AMOUNT = re.compile(r"^-?\d+(?:[.,]\d{1,2})?$")
MAX_ORE = 10**15  # a quadrillion øre: far above any fee, far below 64-bit limits
NBSP = "\u00a0"


def ore_from_kroner(kroner: Decimal | int | str) -> int:
    """A number of kroner → øre, rounded half up: ``Decimal("10.385")`` → 1039.

    Pass a float through ``str()`` first (as the rules do): 1038.0000000000002 kr is then
    103 800 øre, not a binary-float artefact.
    """
    ore = (Decimal(kroner) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(ore)


def parse_nok(text: str) -> int | None:
    """``"1 234,50"`` → 123450 øre. None when the text is not an amount in kroner."""
    compact = _SPACES.sub("", text).removeprefix("kr").removesuffix("kr").removesuffix(",-")
    if not _AMOUNT.match(compact) or not compact.isascii():
        return None
    try:
        ore = ore_from_kroner(compact.replace(",", "."))
    except InvalidOperation:
        return None
    return ore if abs(ore) < MAX_ORE else None


def format_nok(ore: int, language: str | None = None) -> str:
    """An amount for people, in ``language`` (default: the active one).

    Norwegian: 123450 → ``"1 234,50 kr"``; English: ``"NOK 1,234.50"``. The Norwegian
    thousands separator and the space before ``kr`` are no-break spaces.
    """
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(int(ore)), 100)
    if (language or translation.get_language() or "nb").startswith("en"):
        return f"{sign}NOK{NBSP}{kroner:,}.{rest:02d}"
    grouped = f"{kroner:,}".replace(",", NBSP)
    return f"{sign}{grouped},{rest:02d}{NBSP}kr"
