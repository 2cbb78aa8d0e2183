from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "iktipet.cases"
    label = "cases"
    verbose_name = _("Saksbehandling")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The internal case destination, the system checks, Min side sections, periodic jobs.
        from iktipet.cases import checks, destination, my_page, signals, tasks  # noqa: F401

        signals.connect()

        from iktipet.cases.payable import CaseClaim
        from iktipet.cases.services.claims import PAYABLE_KIND
        from iktipet.payments.payables import register_payable

        register_payable(PAYABLE_KIND, CaseClaim())
