"""Facts about a PDF that tests and operators check: PDF/A part and embedded fonts."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf


@dataclass(frozen=True)
class PdfFacts:
    pdfa_part: str | None
    pdfa_conformance: str | None
    fonts: dict[str, bool]  # base font name -> embedded
    pages: int

    @property
    def all_fonts_embedded(self) -> bool:
        return bool(self.fonts) and all(self.fonts.values())


def _embedded(font: pikepdf.Dictionary) -> bool:
    descriptor = font.get("/FontDescriptor")
    if descriptor is None and "/DescendantFonts" in font:
        descriptor = font.DescendantFonts[0].get("/FontDescriptor")
    if descriptor is None:
        return False
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def pdf_facts(data: bytes) -> PdfFacts:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        with pdf.open_metadata() as meta:
            part = meta.get("pdfaid:part")
            conformance = meta.get("pdfaid:conformance")
        fonts: dict[str, bool] = {}
        for page in pdf.pages:
            resources = page.get("/Resources") or {}
            for _, font in (resources.get("/Font") or {}).items():
                fonts[str(font.get("/BaseFont"))] = _embedded(font)
        return PdfFacts(part, conformance, fonts, len(pdf.pages))
