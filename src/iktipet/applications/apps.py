from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "iktipet.applications"
    label = "applications"

    def ready(self) -> None:
        from iktipet.accounts.parties import service_roles_from
        from iktipet.applications import checks, signals, tasks  # noqa: F401  (register)
        from iktipet.applications.representation import representation_roles

        signals.connect()
        service_roles_from(representation_roles)

        from iktipet.applications.payable import ApplicationFee
        from iktipet.applications.services.payment import PAYABLE_KIND
        from iktipet.payments.payables import register_payable

        register_payable(PAYABLE_KIND, ApplicationFee())

        from iktipet.applications import my_page  # noqa: F401  (Min side's sections)
