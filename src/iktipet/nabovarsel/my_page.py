"""The nabovarsel section of Min side: the notices addressed to the person or their party."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from iktipet.accounts.my_page import my_page_section

LIMIT = 50


@my_page_section("nabovarsel/_min_side.html", order=25)
def notices_section(request: HttpRequest, person: Any) -> dict[str, Any]:
    from iktipet.accounts.parties import current_party
    from iktipet.nabovarsel.contents import address_text, matrikkel_text
    from iktipet.nabovarsel.selectors import notices_for_neighbour

    found = notices_for_neighbour(request.user, current_party(request)).select_related(
        "case__application"
    )
    notices = list(found[:LIMIT])
    now = timezone.now()
    for notice in notices:
        answers = notice.case.application.answers if notice.case.application else {}
        notice.site = address_text(answers.get("byggested_address")) or matrikkel_text(
            answers.get("byggested")
        )
        notice.closed = now > notice.deadline
    return {"notices": notices}
