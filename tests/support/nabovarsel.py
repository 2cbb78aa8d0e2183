"""Helpers for the nabovarsel tests: a nabovarsel filled in and submitted over HTTP, and
the text of a PDF (WeasyPrint writes glyph ids; the fonts' ToUnicode maps give the text)."""

from __future__ import annotations

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from iktipet.applications.engine.names import row_input
from support.form_browser import PDF, PNG, form_fields, submit_page

# Synthetic (Tenor) persons in demo/persons.json and their properties in demo/properties.json.
KARI = "17819049912"  # owns 0301-901/12 with Ola
OLA = "03868849974"
NORA = "24927149989"  # owns 0301-901/10, and 0301-901/20 with Aksel
AKSEL = "08846949934"  # reserved against digital notices in the contact register
FATIMA = "19859349903"  # owns 0301-901/11
JONAS = "30879549945"  # daglig leder of Dahl Eksempelbygg AS (310000027), owner of 0301-901/14
PER = "11918249879"
NAMES = {
    KARI: ("Kari", "Nordmann-Test"),
    OLA: ("Ola", "Nordmann-Test"),
    NORA: ("Nora", "Lie-Test"),
    AKSEL: ("Aksel", "Lie-Test"),
    FATIMA: ("Fatima", "Ali-Test"),
    JONAS: ("Jonas", "Haugen-Test"),
    PER: ("Per", "Dahl-Test"),
}
DESCRIPTION = "Tilbygg på 12 m² mot sør, én etasje."
PROVISION = "Reguleringsbestemmelse § 4, byggegrense"
JUSTIFICATION = "Tilbygget går 1 meter over byggegrensen."

__all__ = ["PDF", "PNG", "fill_nabovarsel", "pdf_text", "signed_in", "submit_nabovarsel"]


def signed_in(pid: str, acting_for=None) -> Client:
    from iktipet.accounts.testing import sign_in_citizen

    client = Client()
    sign_in_citizen(client, pid=pid, name=NAMES.get(pid, ("Test", "Person")), acting_for=acting_for)
    return client


def _url(application, step_id: str) -> str:
    return reverse("applications:step", args=[application.pk, step_id])


def fill_nabovarsel(
    client: Client, *, gnr: str = "901", bnr: str = "12", dispensation: bool = True
):
    """Fill every step of the shipped nabovarsel for property 0301-<gnr>/<bnr> as a person
    would; the neighbours are left as the property register prefilled them. Returns the
    draft, ready to submit."""
    from iktipet.applications.models import Application

    start = reverse("applications:start", args=["nabovarsel"])
    page = client.get(start)
    token = re.search(rb'name="start_token" value="([^"]+)"', page.content).group(1).decode()
    client.post(start, {"start_token": token})
    application = Application.objects.filter(status="draft").latest("created_at")
    r = client.post(_url(application, "precheck"), {"project_kind": "other", "_action": "next"})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = submit_page(
        client,
        _url(application, "property"),
        {
            "byggested-kommunenummer": "0301",
            "byggested-gnr": gnr,
            "byggested-bnr": bnr,
            "tiltakshaver_kind": "person",
        },
    )
    r = client.post(_url(application, "property"), {**form_fields(r.content), "_action": "next"})
    assert r.status_code == 302, r.content.decode()[:3000]
    r = submit_page(client, _url(application, "neighbours"))
    assert r.status_code == 302, r.content.decode()[:3000]
    project = {
        "tiltakstyper": ["tilbygg"],
        "description": DESCRIPTION,
        "plan": "Reguleringsplan S-4321",
        "needs_dispensation": "yes" if dispensation else "no",
    }
    r = submit_page(client, _url(application, "project"), project)
    if dispensation:
        assert r.status_code == 200  # the dispensations group appeared
        fields = form_fields(r.content)
        fields.update(
            {
                row_input("dispensations", 0, "provision"): PROVISION,
                row_input("dispensations", 0, "justification"): JUSTIFICATION,
                "_action": "next",
            }
        )
        r = client.post(_url(application, "project"), fields)
    assert r.status_code == 302, r.content.decode()[:3000]
    r = client.post(
        _url(application, "attachments"),
        {
            "situasjonskart": SimpleUploadedFile("situasjonskart-kari.pdf", PDF, "application/pdf"),
            "drawings": SimpleUploadedFile("fasade.png", PNG, "image/png"),
            "_action": "next",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    r = client.post(_url(application, "confirm"), {"confirmation": "yes", "_action": "next"})
    assert r.status_code == 302
    application.refresh_from_db()
    return application


def submit(client: Client, application):
    """Press "send" on the summary; returns the case the submit opened."""
    from iktipet.cases.models import Case

    r = client.post(reverse("applications:submit", args=[application.pk]))
    assert r.status_code == 302, r.content.decode()[:3000]
    application.refresh_from_db()
    assert application.status == "submitted", r.url
    return Case.objects.get(application=application)


def submit_nabovarsel(pid: str = KARI, **fill):
    """(applicant's client, case): a nabovarsel for 0301-901/12 submitted over HTTP."""
    client = signed_in(pid)
    application = fill_nabovarsel(client, **fill)
    return client, submit(client, application)


# --- PDF text ---------------------------------------------------------------------------------

_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _cmap(stream: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}

    def text(hex_bytes: bytes) -> str:
        return bytes.fromhex(hex_bytes.decode()).decode("utf-16-be", errors="replace")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
        pairs = _HEX.findall(block)
        for src, dst in zip(pairs[::2], pairs[1::2], strict=False):
            mapping[int(src, 16)] = text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", stream, re.S):
        for line in block.strip().splitlines():
            parts = _HEX.findall(line)
            if len(parts) < 3:
                continue
            low, high = int(parts[0], 16), int(parts[1], 16)
            if b"[" in line:
                for offset, dst in enumerate(parts[2:]):
                    mapping[low + offset] = text(dst)
            else:
                start = bytes.fromhex(parts[2].decode())
                base = int.from_bytes(start, "big")
                for code in range(low, high + 1):
                    value = (base + code - low).to_bytes(len(start), "big")
                    mapping[code] = value.decode("utf-16-be", errors="replace")
    return mapping


def pdf_text(data: bytes) -> str:
    """The text of every page (words as shown, one text operation per line)."""
    import pikepdf

    out: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            fonts = page.get("/Resources", {}).get("/Font", {}) or {}
            maps = {
                str(name): _cmap(font.ToUnicode.read_bytes()) if "/ToUnicode" in font else {}
                for name, font in fonts.items()
            }
            current: dict[int, str] = {}
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "Tf":
                    current = maps.get(str(operands[0]), {})
                elif op in ("Tj", "TJ"):
                    items = operands[0] if op == "TJ" else [operands[0]]
                    line = ""
                    for item in items:
                        if isinstance(item, pikepdf.String):
                            raw = bytes(item)
                            codes = [
                                int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)
                            ]
                            line += "".join(current.get(code, "") for code in codes)
                        elif float(item) < -200:
                            line += " "
                    out.append(line)
    return "\n".join(out)
