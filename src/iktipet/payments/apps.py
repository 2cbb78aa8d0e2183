from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "iktipet.payments"
    label = "payments"
    verbose_name = _("Betaling")

    def ready(self) -> None:
        from iktipet.payments.providers import base  # noqa: F401
