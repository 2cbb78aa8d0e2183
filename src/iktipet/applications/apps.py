from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "iktipet.applications"
    label = "applications"

    def ready(self) -> None:
        from iktipet.accounts.my_page import ORDER_DRAFTS, ORDER_RECEIPTS, my_page_section
        from iktipet.accounts.parties import service_roles_from
        from iktipet.applications import checks, signals, tasks  # noqa: F401  (register)
        from iktipet.applications.representation import representation_roles

        signals.connect()
        service_roles_from(representation_roles)

        from iktipet.applications.payable import ApplicationFee
        from iktipet.applications.services.payment import PAYABLE_KIND
        from iktipet.payments.payables import register_payable

        register_payable(PAYABLE_KIND, ApplicationFee())

        # The sections' template tag reads the request itself: no extra context needed.
        my_page_section("applications/_min_side_drafts.html", order=ORDER_DRAFTS)(
            lambda request, person: {}
        )
        my_page_section("applications/_min_side_receipts.html", order=ORDER_RECEIPTS)(
            lambda request, person: {}
        )
