"""The "case" payable: a claim on a case (a decision's fee, or one raised by a case worker).

After paying, the payer lands on the payments order page (the default ``return_path``),
which is the payment's receipt; the case pages list the claim as paid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from iktipet.payments.payables import Payable

if TYPE_CHECKING:
    from iktipet.payments.models import PaymentOrder


class CaseClaim(Payable):
    def on_authorized(self, order: PaymentOrder) -> None:
        from iktipet.cases.services import record_claim_paid

        record_claim_paid(order)
