"""Django system checks for messaging. The channels' own ``check_config`` runs in the one
check of every configured plugin (:mod:`iktipet.core.checks`); this adds what only
messaging knows: the console SMS channel does not belong in a real deployment."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register("iktipet")
def check_sms_channel_in_production(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if settings.SMS_CHANNEL == "console" and settings.HTTPS and not settings.ALLOW_SYNTHETIC_IDS:
        # Served over https without synthetic ids: this is meant to be a real deployment.
        return [
            checks.Warning(
                "IKTIPET_SMS_CHANNEL=console only writes SMS to a local file: "
                "configure a gateway (IKTIPET_SMS_CHANNEL=http).",
                id="messaging.W002",
            )
        ]
    return []
