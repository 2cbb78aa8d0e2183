"""The decision letter: PDF/A-2b, fonts embedded, the content fvl. §§ 24–29 asks for."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from iktipet.accounts.testing import sign_in_staff
from iktipet.cases import letters, services
from iktipet.documents.pdfcheck import pdf_facts
from support.cases import submitted_case


@pytest.fixture
def decision(client, agencies):
    worker = sign_in_staff(client, [("naeringsetaten", "case_worker")])
    case = submitted_case()
    decision = services.decide_case(
        case,
        user=worker,
        outcome="refused",
        justification="Søknaden mangler politiattest.",
        legal_basis="Alkoholloven § 1-7",
    )
    return services.mark_decision_delivered(decision)


def test_letter_is_pdfa_with_fonts_and_content(decision):
    data = letters.decision_letter_pdf(decision)
    facts = pdf_facts(data)
    assert (facts.pdfa_part, facts.pdfa_conformance) == ("2", "B")
    assert facts.all_fonts_embedded
    # No text extractor is installed (pdftotext, pypdf): check the HTML the PDF is made of.
    with translation.override(decision.language):
        html = render_to_string(
            "cases/letters/decision.html", letters.decision_letter_context(decision)
        )
    flat = " ".join(html.split())
    assert decision.case.reference in flat
    assert "Avslått" in flat
    assert "Klagefristen er tre uker fra du mottok dette brevet" in flat
    assert "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus" in flat
    assert "§ 18" in flat
    assert "Klagefristen går ut" in flat and context_deadline(decision) in flat


def context_deadline(decision) -> str:
    return letters.decision_letter_context(decision)["appeal_deadline"]


def test_letter_is_kept_and_served_from_storage(decision):
    first = letters.decision_letter_pdf(decision)
    decision.refresh_from_db()
    assert decision.letter_pdf.name
    with decision.letter_pdf.open("rb") as handle:
        assert handle.read() == first
    assert letters.decision_letter_pdf(decision) == first


def test_context_has_deadline_and_sender(decision):
    context = letters.decision_letter_context(decision)
    assert context["appeal_deadline"]
    assert context["agency_name"] == decision.case.agency.name
    assert context["outcome"] == "avslått"
