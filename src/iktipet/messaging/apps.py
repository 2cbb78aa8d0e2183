from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "iktipet.messaging"
    label = "messaging"
    verbose_name = _("Meldinger og varsler")

    def ready(self) -> None:
        from iktipet.messaging import checks, tasks  # noqa: F401  (register checks and tasks)
