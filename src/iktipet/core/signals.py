"""Receivers of the core app, connected by ``CoreConfig.ready`` through :func:`connect`."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from iktipet.core.models import Agency, Municipality
from iktipet.core.selectors import forget_municipality


def _municipality_changed(**kwargs: Any) -> None:
    forget_municipality()


def connect() -> None:
    for model in (Municipality, Agency):
        for signal in (post_save, post_delete):
            signal.connect(
                _municipality_changed,
                sender=model,
                dispatch_uid=f"core.municipality_changed.{model.__name__}.{id(signal)}",
            )
