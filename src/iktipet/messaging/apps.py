from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "iktipet.messaging"
    label = "messaging"
    verbose_name = _("Meldinger og varsler")

    def ready(self) -> None:
        # The channels' registry (checked by core.checks), messaging's own checks, the tasks.
        from iktipet.messaging import channels, checks, tasks  # noqa: F401
