"""Min side's cases and messages, and what cases wait for ("Trenger svar fra deg").

Every party the page shows (the person and the organisations the register lists them for):
its cases with a status tag, the agency and the case number with it; the case threads as an
inbox with unread counts; the offers and requests for information that wait for an answer.

Importing this module (``CasesConfig.ready`` does) also connects :mod:`iktipet.cases.signals`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from iktipet.accounts.my_page import (
    ORDER_CASES,
    ORDER_MESSAGES,
    NeedsAnswer,
    grouped,
    my_page_section,
    needs_answer,
    shown_parties,
)
from iktipet.accounts.parties import ActingParty

LIMIT = 50

#: The workflow's kind of status → Designsystemet's tag colour.
DONE, WAITING, OPEN = "success", "warning", "info"


def _party_key(case: Any) -> tuple[str, str]:
    return (case.party_kind, case.party_identifier if case.is_organisation else "")


def _party_of(case: Any, parties: Sequence[ActingParty]) -> ActingParty:
    return next(p for p in parties if (p.kind, p.orgnr) == _party_key(case))


def _cases(request: HttpRequest) -> tuple[list[Any], bool]:
    """The shown parties' cases, newest first (one query, memoised for the request)."""
    memo = getattr(request, "_iktipet_min_side_cases", None)
    if memo is not None:
        return memo
    from iktipet.cases.selectors import cases_for_citizen_parties

    found = list(cases_for_citizen_parties(request.user, shown_parties(request))[: LIMIT + 1])
    memo = (found[:LIMIT], len(found) > LIMIT)
    setattr(request, "_iktipet_min_side_cases", memo)  # noqa: B010  (a memo, not an API)
    return memo


def _decision_notices(cases: list[Any]) -> dict[Any, str]:
    """A decision not yet opened, or one whose appeal deadline is still open; one query."""
    from iktipet.cases.deadlines import local_date
    from iktipet.cases.models import Decision

    notices: dict[Any, str] = {}
    decided = [case.pk for case in cases if case.decided_at is not None]
    if not decided:
        return notices
    today = local_date(timezone.now())
    rows = Decision.objects.filter(case_id__in=decided).only(
        "case_id", "delivered_at", "appeal_deadline"
    )
    for decision in rows:
        if decision.delivered_at is None:
            notices[decision.case_id] = _("Du har fått vedtak i saken.")
        elif decision.appeal_deadline and decision.appeal_deadline >= today:
            notices[decision.case_id] = _("Klagefristen er %(date)s.") % {
                "date": date_format(decision.appeal_deadline, "SHORT_DATE_FORMAT")
            }
    return notices


def _tag_colour(case: Any) -> str:
    state = case.workflow_model.state(case.status)
    if not case.is_open:
        return DONE
    return WAITING if state is not None and state.waiting else OPEN


@needs_answer("cases.waiting", order=10)
def waiting_for_answer(
    request: HttpRequest, person: Any, parties: Sequence[ActingParty]
) -> list[NeedsAnswer]:
    """Offers of a kindergarten place and requests for more information, with deadlines."""
    from iktipet.cases.models import Offer

    cases, _more = _cases(request)
    found: list[NeedsAnswer] = []
    offered = set()
    open_ids = [case.pk for case in cases if case.is_open]
    by_id = {case.pk: case for case in cases}
    for offer in Offer.objects.filter(case_id__in=open_ids, status=Offer.Status.OFFERED):
        case = by_id[offer.case_id]
        offered.add(case.pk)
        what = _("Svar på tilbudet om plass i %(name)s") % {"name": offer.kindergarten_name}
        url = reverse("cases:case", args=[case.pk]) + "#tilbud"
        found.append(NeedsAnswer(_party_of(case, parties), what, case.title, url, offer.answer_by))
    for case in cases:
        state = case.workflow_model.state(case.status)
        if case.pk in offered or not (state and state.waiting):
            continue
        what = _("Saksbehandleren ber om mer informasjon")
        url = reverse("cases:case", args=[case.pk]) + "#svar"
        deadline = timezone.localdate(case.waiting_until) if case.waiting_until else None
        found.append(NeedsAnswer(_party_of(case, parties), what, case.title, url, deadline))
    return found


@my_page_section("cases/citizen/_min_side.html", order=ORDER_CASES)
def cases_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    from iktipet.messaging.selectors import unread_counts

    parties = shown_parties(request)
    cases, more = _cases(request)
    unread = unread_counts(
        request.user, [c.thread_id for c in cases if c.thread_id], side_of_reader="citizen"
    )
    decisions = _decision_notices(cases)
    for case in cases:
        case.unread = unread.get(case.thread_id, 0)
        case.decision_notice = decisions.get(case.pk, "")
        case.tag_colour = _tag_colour(case)
    return {
        "groups": grouped(parties, cases, _party_key),
        "more": more,
        "limit": LIMIT,
    }


@my_page_section("cases/citizen/_min_side_messages.html", order=ORDER_MESSAGES)
def messages_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    """The threads of the shown cases that have messages, latest first, with unread counts."""
    from iktipet.messaging.models import Message
    from iktipet.messaging.selectors import unread_counts

    cases, _more = _cases(request)
    by_thread = {case.thread_id: case for case in cases if case.thread_id}
    stats = (
        Message.objects.filter(thread_id__in=list(by_thread))
        .order_by()
        .values("thread_id")
        .annotate(count=Count("id"), latest=Max("created_at"))
    )
    unread = unread_counts(request.user, list(by_thread), side_of_reader="citizen")
    threads = [
        {
            "case": by_thread[row["thread_id"]],
            "party": _party_of(by_thread[row["thread_id"]], shown_parties(request)),
            "count": row["count"],
            "latest": row["latest"],
            "unread": unread.get(row["thread_id"], 0),
        }
        for row in stats
    ]
    threads.sort(key=lambda thread: thread["latest"], reverse=True)
    return {"threads": threads, "unread": sum(thread["unread"] for thread in threads)}
