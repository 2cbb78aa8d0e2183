from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "iktipet.payments"
    label = "payments"
    verbose_name = _("Betaling")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The provider registry and the built-in testbank, the periodic poller, Min side.
        from iktipet.payments import my_page, tasks  # noqa: F401
        from iktipet.payments.providers import base, nets, testbank, vipps  # noqa: F401
