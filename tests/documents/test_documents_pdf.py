from iktipet.documents.pdf import render_pdf
from iktipet.documents.pdfcheck import pdf_facts


def _receipt(**extra):
    context = {
        "issuer": "Oslo kommune",
        "document_title": "Kvittering",
        "service_title": "Søknad om skjenkebevilling",
        "reference": "2026/000123",
        "submitted_at": "27.11.2026 10:15",
        "submitter": "Kari Nordmann-Test",
        "sections": [{"title": "Stedet", "rows": [{"label": "Navn", "value": "Testkroa – æøå"}]}],
        "attachments": [{"label": "Firmaattest", "name": "firmaattest.pdf", "size": "12 kB"}],
    }
    context.update(extra)
    return render_pdf("documents/receipt.html", context)


def test_receipt_is_pdfa_2b_with_every_font_embedded():
    facts = pdf_facts(_receipt())
    assert facts.pdfa_part == "2"
    assert facts.pdfa_conformance == "B"
    assert facts.fonts, "the receipt has text, so it must name fonts"
    assert facts.all_fonts_embedded, facts.fonts


def test_a_long_receipt_flows_onto_more_pages():
    rows = [{"label": f"Felt {i}", "value": "Svar"} for i in range(120)]
    facts = pdf_facts(_receipt(sections=[{"title": "Mange svar", "rows": rows}]))
    assert facts.pages > 1
    assert facts.all_fonts_embedded
