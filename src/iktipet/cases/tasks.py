"""Background work of the cases app: the receipt notice and periodic work."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import translation

from iktipet.core import rows
from iktipet.core.tasks import background
from iktipet.ops.periodic import every


@background()
def notify_received(case_id: str, amount: str | None = None, language: str | None = None) -> str:
    """The receipt notice (``case.received``) of a case just opened, written and sent here
    rather than in the submit.

    The submit enqueues this task in its own transaction, so a submitted case gets its
    notice exactly as reliably as before; the request reads no person, encrypts no
    fødselsnummer and writes no notice (~1 ms of CPU and two statements per submit). The
    notice is written and its first attempt made in this one task (``messaging.notify``
    with ``now``: a second task's claim-run-finish cycle cost the worker more than the
    notice itself, bench/README.md); a failed attempt is retried, and a notice left
    pending by a worker that died is sent again by ``messaging.send_stalled``. In the
    language the applicant applied in (the agency's name and the link in the notice),
    passed by the submit."""
    from iktipet.cases.models import Case
    from iktipet.cases.services.base import applicant_language, notify_applicant

    pk = Case._meta.pk.to_python(case_id)
    # One per submit: with SQL compiled once per connection (core.rows), not by the ORM.
    case = rows.first(
        Case,
        "cases.notify_received",
        lambda using: (
            Case.objects.using(using)
            .select_related("agency", "applicant__person")
            .filter(pk=pk)
            .order_by()
        ),
        lambda connection: [Case._meta.pk.get_db_prep_value(pk, connection)],
    )
    if case is None:
        return "missing"
    language = language or applicant_language(case)
    with translation.override(language or settings.LANGUAGE_CODE):
        notify_applicant(case, "case.received", language=language, now=True, amount=amount)
    return "written"


@every(timedelta(minutes=15), name="cases.expire_offers")
@background(queue_name="periodic")
def expire_unanswered_offers() -> int:
    """Kindergarten offers not answered within their 10 days expire."""
    from iktipet.cases.services import expire_offers

    return expire_offers()
