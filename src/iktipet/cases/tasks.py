"""Background work of the cases app: the receipt notice and periodic work."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import translation

from iktipet.core.tasks import background
from iktipet.ops.periodic import every


@background()
def notify_received(case_id: str, amount: str | None = None) -> str:
    """The receipt notice (``case.received``) of a case just opened: the notice row and its
    sending task, written here rather than in the submit.

    The submit enqueues this task in its own transaction (the same outbox as the notice's
    task), so a submitted case gets its notice exactly as reliably; the request no longer
    reads the applicant's person, encrypts the fødselsnummer nor writes the notice (~1 ms of
    CPU and two statements per submit, bench/README.md). Runs in the language the applicant
    applied in, as the request did (the agency's name and the link in the notice)."""
    from iktipet.cases.models import Case
    from iktipet.cases.services.base import applicant_language, notify_applicant

    case = (
        Case.objects.select_related("agency", "application", "applicant__person")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        return "missing"
    with translation.override(applicant_language(case) or settings.LANGUAGE_CODE):
        notify_applicant(case, "case.received", amount=amount)  # one transaction: row + task
    return "queued"


@every(timedelta(minutes=15), name="cases.expire_offers")
@background(queue_name="periodic")
def expire_unanswered_offers() -> int:
    """Kindergarten offers not answered within their 10 days expire."""
    from iktipet.cases.services import expire_offers

    return expire_offers()
