"""The receipt of a submitted application: the page's data and the PDF/A-2b document.

Everything comes from the frozen ``summary`` written at submission, so a receipt rendered
a year later shows what was sent, whatever the service definition says by then.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from iktipet.applications.models import Application
from iktipet.core.money import format_nok
from iktipet.core.selectors import current_municipality
from iktipet.documents.stored import kept_document


def receipt_context(application: Application) -> dict[str, Any]:
    summary = application.summary or {}
    submitted = timezone.localtime(application.submitted_at) if application.submitted_at else None
    return {
        "issuer": summary.get("issuer") or current_municipality().name,
        "document_title": _("Kvittering for innsendt søknad"),
        "service_title": summary.get("service_title", application.service_id),
        "reference": application.reference,
        "submitted_at": date_format(submitted, "DATETIME_FORMAT") if submitted else "",
        "submitter": summary.get("submitter", ""),
        "acting_for": application.party_name if application.party_kind == "organisation" else "",
        "fee": format_nok(application.fee_ore) if application.fee_ore else "",
        # Written at submission: the breakdown, and the payment that came with it (if any).
        "fee_lines": summary.get("fee_lines", []),
        "fee_after_decision": summary.get("fee_when") == "decision" and bool(application.fee_ore),
        "payment": summary.get("payment", {}),
        "sections": summary.get("sections", []),
        "attachments": summary.get("attachments", []),
        "receipt_text": summary.get("receipt_text", ""),
        # What plugin steps made final at submit (a booked time with its calendar file).
        "step_results": summary.get("step_results", []),
        "language": summary.get("language", "nb"),
    }


def render_receipt_pdf(application: Application) -> bytes:
    from iktipet.documents.pdf import render_pdf

    language = (application.summary or {}).get("language", "nb")
    with translation.override(language):
        return render_pdf("documents/receipt.html", receipt_context(application))


def receipt_pdf(application: Application) -> bytes:
    """The stored receipt PDF, rendered and kept on first use."""
    return kept_document(
        application, "receipt_pdf", lambda: render_receipt_pdf(application), "receipt.pdf"
    )
