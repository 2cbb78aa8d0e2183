"""The "application" payable: a fee paid with the application submits it when authorised."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from iktipet.applications.models import Application
from iktipet.payments.payables import Payable

if TYPE_CHECKING:
    from iktipet.payments.models import PaymentOrder


class ApplicationFee(Payable):
    def on_authorized(self, order: PaymentOrder) -> None:
        from iktipet.applications.services.payment import submit_paid_application

        submit_paid_application(order)

    def return_path(self, order: PaymentOrder) -> str:
        """The receipt once submitted; the summary while it is a draft (to pay again)."""
        found = Application.objects.filter(pk=order.payable_id).only("status").first()
        if found is None:
            return super().return_path(order)
        name = "applications:summary" if found.is_draft else "applications:receipt"
        return reverse(name, args=[found.pk])
