"""Levels of assurance (sikkerhetsnivå) as ID-porten names them in ``acr``."""

from __future__ import annotations

LOW, SUBSTANTIAL, HIGH = "low", "substantial", "high"
LEVELS = (LOW, SUBSTANTIAL, HIGH)
DEFAULT_LEVEL = SUBSTANTIAL

_RANK = {LOW: 1, SUBSTANTIAL: 2, HIGH: 3}
# eIDAS levels are accepted as equivalent: ID-porten issues them for foreign eIDs.
_ACR_LEVEL = {
    "idporten-loa-low": LOW,
    "idporten-loa-substantial": SUBSTANTIAL,
    "idporten-loa-high": HIGH,
    "eidas-loa-low": LOW,
    "eidas-loa-substantial": SUBSTANTIAL,
    "eidas-loa-high": HIGH,
}


def acr_for(level: str) -> str:
    """The ``acr_values`` to ask for: ``idporten-loa-<level>``."""
    if level not in _RANK:
        raise ValueError(f"unknown level {level!r}")
    return f"idporten-loa-{level}"


def level_of(acr: object) -> str | None:
    """The level an ``acr`` claim proves, or None for an unknown value."""
    return _ACR_LEVEL.get(acr) if isinstance(acr, str) else None


def satisfies(have: str | None, need: str) -> bool:
    """True when level ``have`` is at least level ``need``."""
    return have in _RANK and _RANK[have] >= _RANK[need]


def parse_level(value: str | None) -> str | None:
    """A level from a query parameter (``niva=high``); None when it is not one we know."""
    if not value:
        return DEFAULT_LEVEL
    value = value.strip().lower()
    return value if value in (SUBSTANTIAL, HIGH) else None
