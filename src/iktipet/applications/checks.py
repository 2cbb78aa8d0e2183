"""For ``iktipet services check``: a fee's ``providers`` must be registered payment providers."""

from __future__ import annotations

from typing import Any

from iktipet.catalog import checks as catalog_checks
from iktipet.payments.providers.base import payment_providers


def provider_problems(definition: Any) -> list[tuple[str, str]]:
    fee = getattr(definition, "fee", None)
    if fee is None:
        return []
    known = payment_providers.names()
    listed = ", ".join(known) or "none"
    return [
        (f"fee.providers[{index}]", f"unknown payment provider '{name}' (known: {listed})")
        for index, name in enumerate(fee.providers)
        if name not in known
    ]


if provider_problems not in catalog_checks.extra_checks:
    catalog_checks.extra_checks.append(provider_problems)
