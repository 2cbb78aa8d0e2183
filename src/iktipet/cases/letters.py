"""The decision letter (vedtaksbrev): the page's data and the PDF/A-2b document.

Rendered in the decision's language on first use and kept in ``Decision.letter_pdf``, so a
letter downloaded a year later is the one the party received (as applications/receipt.py).
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from iktipet.cases import deadlines
from iktipet.cases.models import Decision, letter_upload_path
from iktipet.core.selectors import current_municipality


def decision_letter_context(decision: Decision) -> dict[str, Any]:
    case = decision.case
    municipality = current_municipality()
    decided = deadlines.local_date(decision.decided_at)
    return {
        "language": decision.language or "nb",
        "issuer": municipality.name,
        "agency_name": case.agency.name,
        "agency_address": case.agency.address,
        "agency_email": case.agency.email,
        "document_title": _("Vedtak i sak %(reference)s") % {"reference": case.reference},
        "service_title": case.title,
        "reference": case.reference,
        "party_name": case.party_name,
        "party_identifier": case.party_identifier if case.is_organisation else "",
        "date": date_format(decided, "DATE_FORMAT"),
        "outcome": decision.get_outcome_display(),
        "justification": decision.justification,
        "legal_basis": decision.legal_basis,
        "appeal_body": decision.appeal_body,
        "appeal_deadline": date_format(decision.appeal_deadline, "DATE_FORMAT")
        if decision.appeal_deadline
        else "",
        "decided_by": decision.decided_by_label,
    }


def render_decision_letter_pdf(decision: Decision) -> bytes:
    from iktipet.documents.pdf import render_pdf

    with translation.override(decision.language or "nb"):
        return render_pdf("cases/letters/decision.html", decision_letter_context(decision))


def decision_letter_pdf(decision: Decision) -> bytes:
    """The stored decision letter PDF, rendered and kept on first use."""
    previous = decision.letter_pdf.name or ""
    if previous:
        try:
            with decision.letter_pdf.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            pass  # lost from storage: render it again below
    data = render_decision_letter_pdf(decision)
    storage = decision.letter_pdf.storage
    name = storage.save(letter_upload_path(decision, "vedtak.pdf"), ContentFile(data))
    # Two first downloads may race: the first to record its file wins, the other's is removed.
    claimed = Decision.objects.filter(pk=decision.pk, letter_pdf=previous).update(letter_pdf=name)
    if claimed:
        decision.letter_pdf.name = name
    else:
        storage.delete(name)
    return data
