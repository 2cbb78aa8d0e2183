"""Kindergarten offers: made, answered within the deadline, or expired."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from iktipet.cases import deadlines
from iktipet.cases.models import Case, Offer
from iktipet.cases.selectors import kindergarten_choices_of
from iktipet.cases.services.base import (
    _check_actor,
    _date_text,
    _move,
    _transition,
    _waiting_transition,
    notify_applicant,
)
from iktipet.cases.services.handling import system_transition
from iktipet.cases.workflow import get_workflow
from iktipet.core.errors import ActionRefused

if TYPE_CHECKING:
    from iktipet.accounts.types import User

# --- kindergarten offers ----------------------------------------------------------------------


def make_offer(case: Case, *, user: User, kindergarten_id: str, start_date: dt.date) -> Offer:
    """Offer the applicant a place in ``kindergarten_id``, one of the kindergartens they
    ranked in the application (named as the kindergarten register names it)."""
    transition = _waiting_transition(case, "offer")
    _check_actor(case, transition, user, as_applicant=False)
    kindergarten_name = dict(kindergarten_choices_of(case)).get(kindergarten_id)
    if kindergarten_name is None:
        raise ActionRefused(_("Velg en av barnehagene søkeren har ønsket."), field="kindergarten")
    today = deadlines.local_date(timezone.now())
    if start_date < today:
        raise ActionRefused(_("Oppstartsdatoen kan ikke være tilbake i tid."), field="start_date")
    workflow = get_workflow(case.workflow)
    now = timezone.now()
    answer_by = deadlines.answer_deadline(now, workflow.offer_answer_days or 10)
    with transaction.atomic():
        _move(
            case,
            transition,
            user,
            changes={"waiting_until": answer_by},
            details={"kindergarten": kindergarten_name},
        )
        offer = Offer.objects.create(
            case=case,
            kindergarten_id=kindergarten_id,
            kindergarten_name=kindergarten_name[:200],
            start_date=start_date,
            answer_by=answer_by,
            made_by=user,
        )
        notify_applicant(case, "barnehage.offer", deadline=_date_text(answer_by))
    return offer


def answer_offer(offer: Offer, *, user: User, accept: bool) -> Offer:
    """The applicant accepts or declines. The caller fetched the case through a citizen
    selector. After the deadline the offer is gone, whatever the worker has done yet."""
    case = offer.case
    now = timezone.now()
    if offer.status != Offer.Status.OFFERED:
        raise ActionRefused(_("Tilbudet er allerede besvart eller utløpt."))
    if now > offer.answer_by:
        raise ActionRefused(_("Svarfristen for tilbudet har gått ut."))
    workflow = get_workflow(case.workflow)
    transition = _transition(workflow, "accept_offer" if accept else "decline_offer")
    status = Offer.Status.ACCEPTED if accept else Offer.Status.DECLINED
    with transaction.atomic():
        if not Offer.objects.filter(pk=offer.pk, status=Offer.Status.OFFERED).update(
            status=status, answered_at=now
        ):
            raise ActionRefused(_("Tilbudet er allerede besvart eller utløpt."))
        offer.status, offer.answered_at = status, now
        _move(case, transition, user, details={"offer": str(offer.pk)})
    return offer


def expire_offers(now: dt.datetime | None = None) -> int:
    """Offers not answered by their deadline expire (run by a periodic task)."""
    now = now or timezone.now()
    count = 0
    due = Offer.objects.filter(status=Offer.Status.OFFERED, answer_by__lt=now).select_related(
        "case", "case__agency", "case__application", "case__applicant"
    )
    for offer in due.iterator():
        with transaction.atomic():
            if not Offer.objects.filter(pk=offer.pk, status=Offer.Status.OFFERED).update(
                status=Offer.Status.EXPIRED
            ):
                continue
            case = offer.case
            try:
                system_transition(case, "expire_offer")
            except ActionRefused:
                continue
            notify_applicant(case, "barnehage.offer_expired")
            count += 1
    return count
