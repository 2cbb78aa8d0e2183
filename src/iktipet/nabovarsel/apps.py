from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NabovarselConfig(AppConfig):
    name = "iktipet.nabovarsel"
    label = "nabovarsel"
    verbose_name = _("Nabovarsel")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The submit hook and case page sections, the Min side section, the periodic job.
        from iktipet.nabovarsel import hooks, my_page, tasks  # noqa: F401
