from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "iktipet.core"
    label = "core"
    verbose_name = _("Kjerne")

    def ready(self) -> None:
        from django.core import checks as django_checks

        from iktipet.core import checks, signals

        signals.connect()
        django_checks.register(checks.check_plugins, "iktipet")
