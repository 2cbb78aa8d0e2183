"""The summary that goes with the building application once the neighbours' time is up:
the contents of the notice (blankett 5155), the receipt list (5156) and every remark."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from iktipet.documents.uploads import format_size
from iktipet.nabovarsel.contents import notice_contents


def _when(moment: Any) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


def summary_context(case: Any) -> dict[str, Any]:
    from iktipet.core.selectors import current_municipality

    notices = list(
        case.neighbour_notices.select_related("notification").prefetch_related("attachments")
    )
    contents = notice_contents(case)
    deadline = max((n.deadline for n in notices), default=case.waiting_until)
    return {
        "language": "nb",
        "issuer": f"{current_municipality().name}, {case.agency.name}",
        "document_title": _("Nabovarsel: kvitteringsliste og merknader"),
        "case": case,
        "reference": case.reference,
        "contents": contents,
        "sent_at": _when(min((n.sent_at for n in notices), default=case.received_at)),
        "deadline": _when(deadline),
        "made_at": _when(timezone.now()),
        "receipts": [
            {
                "name": n.name,
                "property": n.properties_text or _("ukjent"),
                "properties": n.properties,
                "address": n.address,
                "relation": n.relation,
                "delivery": n.get_delivery_now_display(),
                "by_post_or_hand": n.by_post_or_hand,
                "sent": _when(n.sent_at),
                "opened": _when(n.opened_at),
                "replied": _when(n.replied_at),
                "consent": n.consent,
            }
            for n in notices
        ],
        "remarks": [
            {
                "name": n.name,
                "property": n.properties_text,
                "replied": _when(n.replied_at),
                "consent": n.consent,
                "remark": n.remark,
                "files": [
                    f"{a.original_name} ({format_size(a.size)})" for a in n.attachments.all()
                ],
            }
            for n in notices
            if n.replied_at is not None and (n.remark or not n.consent)
        ],
        "consents": sum(1 for n in notices if n.consent is True),
        "no_reply": sum(1 for n in notices if n.replied_at is None),
    }


def summary_pdf(case: Any) -> bytes:
    from iktipet.documents.pdf import render_pdf

    with translation.override("nb"):
        return render_pdf("nabovarsel/summary_pdf.html", summary_context(case))
