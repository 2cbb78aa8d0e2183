"""Django system checks: the notification channels' configuration, shown to operators."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from iktipet.messaging.channels import channel_problems


@checks.register("iktipet")
def check_notification_channels(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = [
        checks.Warning(problem, id="messaging.W001") for problem in channel_problems(settings)
    ]
    if settings.SMS_CHANNEL == "console" and settings.HTTPS and not settings.ALLOW_SYNTHETIC_IDS:
        # Served over https without synthetic ids: this is meant to be a real deployment.
        messages.append(
            checks.Warning(
                "IKTIPET_SMS_CHANNEL=console only writes SMS to a local file: "
                "configure a gateway (IKTIPET_SMS_CHANNEL=http).",
                id="messaging.W002",
            )
        )
    return messages
