from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "iktipet.documents"
    label = "documents"
    verbose_name = _("Dokumenter")

    def ready(self) -> None:
        # The virus scanners on the plugin registry, so the system check finds them.
        from iktipet.documents import antivirus  # noqa: F401
