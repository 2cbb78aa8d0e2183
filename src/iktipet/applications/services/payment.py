"""A fee paid with the application: the order for a draft, and the submit its payment makes.

"Betal og send inn" on the summary calls :func:`order_for_draft`: the draft is checked as a
submit would check it, and the order gets the fee's lines as the service's rules compute
them on the server (nothing in the request says what anything costs). The order is the
draft's one live order (``payments.services.create_order`` is idempotent per payable): a
double click finds the same order, and a draft changed since takes the new amount.

When the provider reserves the money, ``payments`` calls the "application" payable inside
the transaction that records the authorisation; :func:`submit_paid_application` submits the
draft there, or refuses (the draft is gone, already sent, no longer complete, or its fee is
no longer the order's amount), and the payment is then cancelled, never captured. An
abandoned or declined payment leaves the draft as it was, to be paid again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from iktipet.accounts.parties import ORGANISATION, PERSON, ActingParty
from iktipet.applications.models import Application
from iktipet.applications.services.base import Incomplete, PaymentRequired
from iktipet.applications.services.submit import (
    complete_draft,
    fee_due_at_application,
    submit_application,
)
from iktipet.core.errors import ActionRefused
from iktipet.core.models import Agency
from iktipet.payments import gateway
from iktipet.payments import services as payments
from iktipet.payments.providers.base import OrderLine, payment_providers

if TYPE_CHECKING:
    from iktipet.accounts.types import User
    from iktipet.payments.models import PaymentOrder

PAYABLE_KIND = "application"


def party_of(application: Application) -> ActingParty:
    """The party the application is for, as it was chosen when the draft was started."""
    identifier, name = application.party_identifier, application.party_name
    if application.party_kind == Application.PartyKind.ORGANISATION:
        return ActingParty(ORGANISATION, identifier, name)
    return ActingParty(PERSON, identifier, name)


def providers_for(application: Application) -> list[dict[str, str]]:
    """The providers the person may choose for this draft's fee: the platform's, narrowed
    to the definition's ``fee.providers`` when it names some."""
    fee = application.service_version.form_model.fee
    wanted = list(fee.providers) if fee is not None else []
    names = [n for n in gateway.enabled_providers() if not wanted or n in wanted]
    return [
        {"name": name, "label": str(payment_providers.get_class(name).label or name)}
        for name in names
    ]


def chosen_provider(application: Application, posted: str) -> str:
    """The provider the form chose, if it is one on offer (the only choice: one offered)."""
    names = [item["name"] for item in providers_for(application)]
    if not names:
        raise ActionRefused(_("Betaling er ikke tilgjengelig akkurat nå. Prøv igjen senere."))
    if len(names) == 1 and not posted:
        return names[0]
    if posted not in names:
        raise ActionRefused(_("Velg en betalingsmåte."), field="provider")
    return posted


def order_for_draft(
    application: Application, *, user: User, party: ActingParty
) -> PaymentOrder | None:
    """The order that pays the draft's fee; None when nothing is to be paid first (a free
    service, a fee of 0, or a fee claimed after the decision): then submit it directly.

    Raises :class:`Incomplete` for a draft that cannot be submitted yet.
    """
    if not application.is_draft:
        raise ActionRefused(_("Søknaden er allerede sendt inn."), code="submitted")
    if not fee_due_at_application(application):
        return None
    checked, _ctx, fee = complete_draft(application, user=user, party=party)
    if fee == 0:
        return None
    language = (translation.get_language() or "nb")[:2]
    lines = [
        OrderLine(text=line.text[:200], quantity=1, unit_price_ore=line.amount_ore)
        for line in checked.evaluator.fee_lines(language)
    ]
    definition = application.service_version.form_model
    with transaction.atomic():
        # The applicant's language goes with the draft: the submit the payment makes may
        # run in a webhook or the worker, and the receipt is written in this language.
        Application.objects.filter(pk=application.pk, status=Application.Status.DRAFT).update(
            summary={**(application.summary or {}), "language": language}
        )
        return payments.create_order(
            payable=(PAYABLE_KIND, str(application.pk)),
            agency=_agency_of(application),
            title=definition.title.get(language)[:200],
            lines=lines,
            user=user,
            party=party,
        )


def submit_paid_application(order: PaymentOrder) -> Application:
    """Submit the draft ``order`` paid for. Runs inside the transaction that records the
    authorisation; an :class:`ActionRefused` makes payments cancel the payment."""
    application = (
        Application.objects.select_related("service_version", "applicant")
        .filter(pk=order.payable_id)
        .first()
    )
    if application is None:
        raise ActionRefused(_("Søknaden finnes ikke lenger."), code="gone")
    if not application.is_draft:
        raise ActionRefused(_("Søknaden er allerede sendt inn."), code="submitted")
    language = (application.summary or {}).get("language") or "nb"
    with translation.override(language):
        try:
            return submit_application(
                application,
                user=application.applicant,
                party=party_of(application),
                paid=order,
            )
        except (Incomplete, PaymentRequired):
            raise ActionRefused(
                _("Søknaden er ikke ferdig utfylt. Se over den og betal på nytt."),
                code="incomplete",
            ) from None


def _agency_of(application: Application) -> Agency:
    from iktipet.catalog.models import Service

    service = Service.objects.select_related("agency").get(
        pk=application.service_version.service_id
    )
    if service.agency is None:
        raise RuntimeError(f"service {application.service_id!r} has no agency to be paid")
    return service.agency
