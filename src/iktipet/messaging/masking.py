"""Addresses as an operator may see them: enough to recognise, not enough to use."""

from __future__ import annotations


def mask_email(address: str) -> str:
    """``kari.nordmann@example.no`` → ``k***@example.no``."""
    local, sep, domain = address.strip().partition("@")
    if not sep:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_phone(number: str) -> str:
    """``+4740000123`` → ``+47 *** ** 123``: the last three digits only."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if number.strip().startswith("+") and digits.startswith("47") and len(digits) == 10:
        return f"+47 *** ** {digits[-3:]}"
    return f"*** {digits[-3:]}" if len(digits) > 3 else "***"
