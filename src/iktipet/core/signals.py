from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from iktipet.core.models import Agency, Municipality
from iktipet.core.selectors import forget_municipality


@receiver([post_save, post_delete], sender=Municipality)
@receiver([post_save, post_delete], sender=Agency)
def _municipality_changed(**kwargs: Any) -> None:
    forget_municipality()
