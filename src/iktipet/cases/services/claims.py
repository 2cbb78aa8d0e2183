"""Payment claims on a case: the fee a grant carries, and a claim a case worker raises by hand.

A claim is a :class:`~iktipet.cases.models.Claim` row and a payment order in ``payments``
whose payable is ``("case", str(claim.pk))``. ``payments.services.create_order`` notifies the
payer (``payment.claim``, with the due date); the payer pays it from Min side on the
payments order page. Amounts come from the service definition's fee (computed from the
frozen answers) or from the case worker's form, checked here, never from the payer.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from iktipet.accounts.parties import ORGANISATION, PERSON, ActingParty
from iktipet.cases import deadlines
from iktipet.cases.models import Case, Claim, Decision
from iktipet.cases.permissions import CASE_ROLES, staff_roles_in
from iktipet.cases.services.base import _domain_event, _event, applicant_language
from iktipet.catalog.rules import Evaluator
from iktipet.catalog.schema import FormService
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.core.forms import disallowed_text_error
from iktipet.core.money import MAX_ORE
from iktipet.payments import services as payments
from iktipet.payments.providers.base import OrderLine

if TYPE_CHECKING:
    from iktipet.accounts.types import User
    from iktipet.payments.models import PaymentOrder

PAYABLE_KIND = "case"
#: Outcomes that carry the service's fee when it is claimed after the decision.
FEE_OUTCOMES = (Decision.Outcome.GRANTED, Decision.Outcome.PARTLY_GRANTED)
MAX_CLAIM_TEXT = 200
MAX_REASON = 2_000
#: How far ahead a case worker may set a claim's due date.
MAX_DUE_DAYS = 365


def payer_of(case: Case) -> ActingParty:
    """Whom a claim on ``case`` is for: the case's party, paid by its applicant's login."""
    if case.is_organisation:
        return ActingParty(ORGANISATION, case.party_identifier, case.party_name)
    return ActingParty(PERSON, case.party_identifier, case.party_name)


def claim_decision_fee(case: Case, *, user: User | None, outcome: str) -> Claim | None:
    """The fee of a granted application whose service claims it after the decision.

    Runs inside the decision's transaction. The fee is computed from the frozen answers
    with the version the application was sent with, on the day it was sent (``today`` in
    the rules), as lines; it is due the definition's ``due_days`` after today.
    """
    if outcome not in FEE_OUTCOMES or case.application is None:
        return None
    application = case.application
    definition = application.service_version.form_model
    fee = definition.fee
    if not isinstance(definition, FormService) or fee is None or fee.when != "decision":
        return None
    language = applicant_language(case) or "nb"
    sent = deadlines.local_date(application.submitted_at or case.received_at)
    evaluator = Evaluator(definition, application.answers, today=sent)
    lines = [
        OrderLine(text=line.text[:MAX_CLAIM_TEXT], quantity=1, unit_price_ore=line.amount_ore)
        for line in evaluator.fee_lines(language)
    ]
    if not lines:  # a fee of 0: nothing to claim
        return None
    with translation.override(language):
        title = _("Gebyr: %(title)s") % {"title": case.title}
    due = deadlines.local_date(timezone.now()) + dt.timedelta(days=fee.due_days)
    try:
        with transaction.atomic():
            claim = Claim.objects.create(case=case, kind=Claim.Kind.DECISION, created_by=None)
    except IntegrityError:  # claimed already (the grant was retried): keep the one there is
        return Claim.objects.get(case=case, kind=Claim.Kind.DECISION)
    order = _order(claim, title=title, lines=lines, due=due, reason="", created_by=None)
    _record(claim, order, user)
    return claim


def raise_claim(
    case: Case,
    *,
    user: User,
    text: str,
    amount_ore: int | None,
    reason: str,
    due_date: dt.date | None,
) -> Claim:
    """A claim a case worker raises by hand for a fee the workflow does not know (a
    re-inspection, a late-report fee). The reason is required and shown to the payer."""
    if not staff_roles_in(user, case.agency_id) & set(CASE_ROLES):
        raise ActionRefused(_("Du har ikke tilgang til å utføre denne handlingen."))
    if case.applicant_id is None:
        raise ActionRefused(_("Saken har ingen søker å kreve betaling fra."))
    today = deadlines.local_date(timezone.now())
    errors: dict[str, str] = {}
    text, reason = text.strip(), reason.strip()
    for field, value, limit in (("text", text, MAX_CLAIM_TEXT), ("reason", reason, MAX_REASON)):
        refused = disallowed_text_error(value)
        if refused:
            errors[field] = refused
        elif len(value) > limit:
            errors[field] = _("Teksten er for lang (høyst %(limit)s tegn).") % {"limit": limit}
    if not text:
        errors["text"] = _("Skriv hva kravet gjelder.")
    if not reason:
        errors["reason"] = _("Skriv begrunnelsen for kravet.")
    if amount_ore is None:
        errors["amount"] = _("Skriv beløpet i kroner, for eksempel 1 250 eller 1 250,50.")
    elif not 0 < amount_ore < MAX_ORE:
        errors["amount"] = _("Beløpet må være mer enn 0 kr.")
    if due_date is None:
        errors["due_date"] = _("Skriv forfallsdatoen som dd.mm.åååå.")
    elif not today <= due_date <= today + dt.timedelta(days=MAX_DUE_DAYS):
        errors["due_date"] = _("Forfallsdatoen må være fra i dag og høyst ett år fram.")
    if errors:
        raise ActionRefused(errors)
    assert amount_ore is not None and due_date is not None
    with transaction.atomic():
        claim = Claim.objects.create(
            case=case, kind=Claim.Kind.MANUAL, reason=reason, created_by=user
        )
        order = _order(
            claim,
            title=text,
            lines=[OrderLine(text=text, quantity=1, unit_price_ore=amount_ore)],
            due=due_date,
            reason=reason,
            created_by=user,
        )
        _record(claim, order, user)
    return claim


def _order(
    claim: Claim,
    *,
    title: str,
    lines: list[OrderLine],
    due: dt.date,
    reason: str,
    created_by: User | None,
) -> PaymentOrder:
    case = claim.case
    return payments.create_order(
        payable=(PAYABLE_KIND, str(claim.pk)),
        agency=case.agency,
        title=title[:200],
        lines=lines,
        user=case.applicant,
        party=payer_of(case),
        due_date=due,
        reason=reason,
        created_by=created_by,
    )


def _record(claim: Claim, order: PaymentOrder, user: User | None) -> None:
    case = claim.case
    details = {
        "claim": str(claim.pk),
        "order": order.reference,
        "amount_ore": order.amount_ore,
        "due_date": str(order.due_date or ""),
        "kind": claim.kind,
    }
    _event(case, "claim_raised", user, details=details, note=claim.reason)
    audit.record(user, "cases.claim_raised", case, details)
    _domain_event(case, "claim_raised", details)


def record_claim_paid(order: PaymentOrder) -> None:
    """The "case" payable's ``on_authorized``: the claim's money is reserved (the worker
    captures it). Runs inside the transaction that records the authorisation."""
    claim = Claim.objects.select_related("case", "case__agency").filter(pk=order.payable_id).first()
    if claim is None:
        return  # an order outlives nothing here: the claim row is PROTECTed
    details = {"claim": str(claim.pk), "order": order.reference, "amount_ore": order.amount_ore}
    _event(claim.case, "claim_paid", None, details=details)
    _domain_event(claim.case, "claim_paid", details)
