"""Where the nabovarsel app plugs into the cases app: on submit, and on the case pages."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from iktipet.cases.hooks import case_section, on_case_opened
from iktipet.nabovarsel import selectors, services


@on_case_opened(services.SERVICE_ID)
def notices_on_submit(case: Any) -> None:
    """In the submit transaction: a notice to each owner of each neighbouring property."""
    services.send_notices(case)


def _url(name: str, *args: Any) -> str:
    # The staff URLs are mounted by the project's urls.py; without them, no links.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _section(case: Any, *, staff: bool) -> dict[str, Any]:
    notices = list(selectors.notices_of_case(case))
    summary = selectors.summary_of_case(case)
    prefix = "nabovarsel_staff" if staff else "nabovarsel"
    file_view = "reply_file" if staff else "case_reply_file"
    summary_view = "summary" if staff else "case_summary"
    for notice in notices:
        notice.files = [
            {"attachment": a, "url": _url(f"{prefix}:{file_view}", case.pk, a.pk)}
            for a in notice.attachments.all()
        ]
    return {
        "case": case,
        "notices": notices,
        "deadline": max((n.deadline for n in notices), default=case.waiting_until),
        "by_post_or_hand": [n for n in notices if n.by_post_or_hand],
        "answered": sum(1 for n in notices if n.replied_at is not None),
        "summary": summary,
        "summary_url": _url(f"{prefix}:{summary_view}", case.pk) if summary else "",
        "staff": staff,
    }


@case_section(services.SERVICE_ID, audience="applicant", template="nabovarsel/_replies.html")
def replies_for_applicant(request: Any, case: Any) -> dict[str, Any] | None:
    """The applicant's case page: who was notified, who opened and answered, the remarks."""
    return _section(case, staff=False)


@case_section(services.SERVICE_ID, audience="staff", template="nabovarsel/_staff.html")
def replies_for_staff(request: Any, case: Any) -> dict[str, Any] | None:
    """The case worker's page: the same, and the summary PDF."""
    return _section(case, staff=True)
