"""The decision letter (vedtaksbrev): the page's data and the PDF/A-2b document.

Rendered in the decision's language on first use and kept in ``Decision.letter_pdf``, so a
letter downloaded a year later is the one the party received (as applications/receipt.py).
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from iktipet.cases import deadlines
from iktipet.cases.models import Decision
from iktipet.core.selectors import current_municipality
from iktipet.documents.stored import kept_document


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
    return kept_document(
        decision, "letter_pdf", lambda: render_decision_letter_pdf(decision), "vedtak.pdf"
    )
