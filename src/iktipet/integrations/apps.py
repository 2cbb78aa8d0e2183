from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "iktipet.integrations"
    label = "integrations"
    verbose_name = _("Integrasjoner")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from iktipet.core.models import DomainEvent
        from iktipet.integrations import destination, tasks  # noqa: F401  (registers them)
        from iktipet.integrations.webhooks.fanout import fan_out

        post_save.connect(fan_out, sender=DomainEvent, dispatch_uid="integrations.fan_out")
