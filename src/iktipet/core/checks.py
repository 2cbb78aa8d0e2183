"""The system check of every configured plugin: ``iktipet check`` shows what to fix.

Each problem a plugin's ``check_config`` reports is a warning: the site still starts, and a
feature whose plugin is misconfigured fails on use (a register answers "unavailable", a
message is retried). Registered in :class:`iktipet.core.apps.CoreConfig`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from iktipet.core.registry import plugin_statuses


def check_plugins(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Warning(problem, obj=status.title, id="core.W001")
        for status in plugin_statuses(settings)
        for problem in status.problems
    ]
