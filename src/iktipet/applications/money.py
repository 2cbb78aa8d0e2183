"""Amounts in NOK: parsed from what people type, kept as integer øre, shown the Norwegian way."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_AMOUNT = re.compile(r"^-?\d+(?:[.,]\d{1,2})?$")
MAX_ORE = 10**15  # a quadrillion øre: far above any fee, far below 64-bit limits


def parse_nok(text: str) -> int | None:
    """``"1 234,50"`` → 123450 øre. None when the text is not an amount in kroner."""
    compact = _SPACES.sub("", text).removeprefix("kr").removesuffix("kr").removesuffix(",-")
    if not _AMOUNT.match(compact) or not compact.isascii():
        return None
    try:
        ore = int(Decimal(compact.replace(",", ".")) * 100)
    except InvalidOperation:
        return None
    return ore if abs(ore) < MAX_ORE else None


def format_nok(ore: int) -> str:
    """123450 → ``"1 234,50 kr"`` (with a no-break space as thousands separator)."""
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(int(ore)), 100)
    grouped = f"{kroner:,}".replace(",", "\u00a0")
    return f"{sign}{grouped},{rest:02d}\u00a0kr"
