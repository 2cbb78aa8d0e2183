"""The providers in use, built from settings: the one place the payments core meets them."""

from __future__ import annotations

from django.conf import settings

from iktipet.payments.providers.base import BasePaymentProvider, payment_providers


def enabled_providers() -> list[str]:
    """The providers offered, in the order the settings name them (registered ones only)."""
    return [name for name in settings.PAYMENT_PROVIDERS if name in payment_providers]


def provider(name: str) -> BasePaymentProvider:
    """The plugin ``name`` built with its options from settings.

    Any registered provider is built, not only the offered ones: an order paid through a
    provider that is no longer offered must still be polled, captured and refunded.
    """
    return payment_providers.create(name, **payment_providers.options(name))


def provider_class(name: str) -> type[BasePaymentProvider]:
    return payment_providers.get_class(name)
