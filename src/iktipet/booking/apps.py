from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "iktipet.booking"
    label = "booking"
    verbose_name = _("Timebestilling og utleie")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The Min side section and the periodic jobs (hold sweep, reminders).
        from iktipet.booking import my_page, tasks  # noqa: F401
        from iktipet.booking.services.paid import KIND, BookingPayable
        from iktipet.payments.payables import register_payable

        register_payable(KIND, BookingPayable())
