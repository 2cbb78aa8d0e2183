from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "iktipet.ops"
    label = "ops"
    verbose_name = _("Drift")

    def ready(self) -> None:
        from iktipet.ops import jobs  # noqa: F401  (registers the periodic jobs)
