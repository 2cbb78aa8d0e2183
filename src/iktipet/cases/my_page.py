"""The cases section of Min side: the party's cases with unread markers and what waits.

Importing this module (``CasesConfig.ready`` does) also connects :mod:`iktipet.cases.signals`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from iktipet.accounts.my_page import my_page_section

LIMIT = 50


def _date(value: Any) -> str:
    from iktipet.cases.deadlines import local_date

    day = local_date(value) if hasattr(value, "hour") else value
    return date_format(day, "SHORT_DATE_FORMAT")


def _notices(cases: list[Any]) -> dict[Any, list[str]]:
    """What waits for the party, per case: an offer to answer, a request for information,
    a decision with an open appeal deadline. Two queries for the whole list."""
    from iktipet.cases.deadlines import local_date
    from iktipet.cases.models import Decision, Offer

    notices: dict[Any, list[str]] = {case.pk: [] for case in cases}
    if not cases:
        return notices
    ids = list(notices)
    today = local_date(timezone.now())
    offered = set()
    for offer in Offer.objects.filter(case_id__in=ids, status=Offer.Status.OFFERED):
        offered.add(offer.case_id)
        notices[offer.case_id].append(
            _("Du har fått tilbud om plass. Svar innen %(date)s.")
            % {"date": _date(offer.answer_by)}
        )
    for case in cases:
        state = case.workflow_model.state(case.status)
        if state and state.waiting and case.pk not in offered:
            if case.waiting_until:
                text = _("Saksbehandleren ber om mer informasjon. Svar innen %(date)s.") % {
                    "date": _date(case.waiting_until)
                }
            else:
                text = _("Saksbehandleren ber om mer informasjon.")
            notices[case.pk].append(text)
    decisions = Decision.objects.filter(case_id__in=ids).only(
        "case_id", "delivered_at", "appeal_deadline"
    )
    for decision in decisions:
        if decision.delivered_at is None:
            notices[decision.case_id].append(_("Du har fått vedtak i saken."))
        elif decision.appeal_deadline and decision.appeal_deadline >= today:
            notices[decision.case_id].append(
                _("Du har fått vedtak. Klagefristen er %(date)s.")
                % {"date": _date(decision.appeal_deadline)}
            )
    return notices


@my_page_section("cases/citizen/_min_side.html", order=20)
def cases_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    from iktipet.accounts.parties import current_party
    from iktipet.cases.selectors import cases_for_citizen
    from iktipet.messaging.selectors import unread_counts

    found = list(cases_for_citizen(request.user, current_party(request))[: LIMIT + 1])
    cases, more = found[:LIMIT], len(found) > LIMIT
    unread = unread_counts(
        request.user, [c.thread_id for c in cases if c.thread_id], side_of_reader="citizen"
    )
    notices = _notices(cases)
    for case in cases:
        case.unread = unread.get(case.thread_id, 0)
        case.notices = notices[case.pk]
    return {"cases": cases, "more": more, "limit": LIMIT}
