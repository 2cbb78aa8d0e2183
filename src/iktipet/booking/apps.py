from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "iktipet.booking"
    label = "booking"
    verbose_name = _("Timebestilling og utleie")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The Min side section and the periodic jobs (hold sweep, reminders).
        from iktipet.booking import ics_mail, my_page, tasks  # noqa: F401
        from iktipet.booking.services.paid import KIND, BookingPayable
        from iktipet.payments.payables import register_payable

        register_payable(KIND, BookingPayable())
        # The booking step inside a service's form (the form engine's step plugin).
        from iktipet.booking import step  # noqa: F401

        # The calendar file made when a booking notice is emailed.
        ics_mail.register()
