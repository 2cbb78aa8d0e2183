from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "iktipet.core"
    label = "core"
    verbose_name = _("Kjerne")

    def ready(self) -> None:
        from iktipet.core import signals

        signals.connect()
