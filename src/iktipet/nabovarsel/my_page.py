"""The nabovarsel section of Min side: the notices addressed to the person or the parties
they act for; the unanswered ones with an open deadline also under "Trenger svar fra deg"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from iktipet.accounts.my_page import (
    ORDER_NEIGHBOUR_NOTICES,
    Constant,
    NeedsAnswer,
    SectionQuery,
    my_page_query,
    my_page_section,
    needs_answer,
    section_rows,
    shown_parties,
)
from iktipet.accounts.parties import ActingParty

LIMIT = 50


@my_page_query("nabovarsel.notices")
def _notices_query(request: HttpRequest) -> SectionQuery | None:
    """The shown parties' notices (None: nothing can be addressed to any of them)."""
    from iktipet.nabovarsel.models import NeighbourNotice
    from iktipet.nabovarsel.selectors import compiled_for_neighbour_parties

    query = compiled_for_neighbour_parties(request.user, shown_parties(request))
    if query is None:
        return None
    key, build, params = query

    def constants(connection: Any) -> list[Any]:
        # The only empty values are the partial indexes' conditions said again (an
        # addressee's value never is): constants in the probe's SQL, which SQLite would
        # otherwise compare with those conditions on every run.
        return [Constant(value) if value == "" else value for value in params(connection)]

    return SectionQuery(
        NeighbourNotice,
        key,
        lambda using: build(using).select_related("case__application"),
        constants,
    )


def _addressed(request: HttpRequest) -> list[tuple[ActingParty, Any]]:
    """(party, notice), at most LIMIT of each shown party: one query for them all (issue 13);
    read party by party only when that query is cut short (one party's many notices could
    then hide another's)."""
    from iktipet.nabovarsel.selectors import notices_for_neighbour, party_of_notice

    parties = shown_parties(request)
    cap = LIMIT * len(parties)
    rows = section_rows(request, "nabovarsel.notices", cap)
    if len(rows) < cap or len(parties) == 1:
        pairs = [(party_of_notice(notice, parties), notice) for notice in rows]
        return [(party, notice) for party, notice in pairs if party is not None]
    return [
        (party, notice)
        for party in parties
        for notice in notices_for_neighbour(request.user, party).select_related(
            "case__application"
        )[:LIMIT]
    ]


def _notices(request: HttpRequest) -> list[tuple[ActingParty, Any]]:
    """(party, notice) for every shown party, newest first; memoised for the request."""
    memo = getattr(request, "_iktipet_min_side_notices", None)
    if memo is not None:
        return memo
    from iktipet.nabovarsel.contents import address_text, matrikkel_text

    now = timezone.now()
    found = _addressed(request)
    for _party, notice in found:
        answers = notice.case.application.answers if notice.case.application else {}
        notice.site = address_text(answers.get("byggested_address")) or matrikkel_text(
            answers.get("byggested")
        )
        notice.closed = now > notice.deadline
    found.sort(key=lambda pair: pair[1].sent_at, reverse=True)
    setattr(request, "_iktipet_min_side_notices", found)  # noqa: B010  (a memo, not an API)
    return found


@needs_answer("nabovarsel.unanswered", order=20)
def unanswered_notices(
    request: HttpRequest, person: Any, parties: Sequence[ActingParty]
) -> list[NeedsAnswer]:
    found = []
    for party, notice in _notices(request):
        if notice.replied_at or notice.closed:
            continue
        what = _("Svar på nabovarselet")
        title = (
            _("Tiltak på %(site)s") % {"site": notice.site}
            if notice.site
            else _("Nabovarsel i sak %(reference)s") % {"reference": notice.case.reference}
        )
        url = reverse("nabovarsel:notice", args=[notice.pk])
        found.append(NeedsAnswer(party, what, title, url, timezone.localdate(notice.deadline)))
    return found


#: What ``nabovarsel/_min_side.html`` writes for no notices: its last newline (issue 13: no
#: include for the section most people do not have).
NO_NOTICES = mark_safe("\n")


@my_page_section("nabovarsel/_min_side.html", order=ORDER_NEIGHBOUR_NOTICES)
def notices_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    notices = [notice for _party, notice in _notices(request)]
    return {"notices": notices} if notices else {"notices": notices, "html": NO_NOTICES}
