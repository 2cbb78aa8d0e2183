"""Helpers for the seed-service journeys in a real browser.

``seed_site`` sets the live server up as ``make demo`` does (the municipality, TestID's
clients and keys, the five shipped services) with TestID as the citizens' identity
provider, so a test logs in through TestID's own login page.

``Journey`` wraps a Playwright page: every navigation it makes is followed by an axe
check (WCAG 2.1 A/AA), and it knows the form engine's buttons and composite fields.
"""

from __future__ import annotations

import datetime
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

KARI = "17819049912"  # Kari Nordmann-Test: daglig leder of Testgrillen, parent of Emma and Noah
OLA = "03868849974"
JONAS = "30879549945"  # Jonas Haugen-Test: parent of Leah (born 2026-09)
PER = "11918249879"  # Per Dahl-Test, born 1982
SOFIE = "21820799965"  # Sofie Dahl-Test, born 2007: too young to be styrer
AKSEL = "08846949934"  # Aksel Lie-Test, born 1969
NORA = "24927149989"  # Nora Lie-Test, born 1971
TESTGRILLEN = "310000019"  # Testgrillen Restaurant AS: Kari is DAGL


def tiny_pdf(text: str = "Iktipet test") -> bytes:
    """A small, well-formed one-page PDF (correct xref offsets) with ``text`` on it."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def tiny_png(width: int = 4, height: int = 4) -> bytes:
    """A small valid RGB PNG (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\0" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf_file(name: str) -> dict[str, Any]:
    """A file payload for Playwright's ``set_input_files``."""
    return {"name": name, "mimeType": "application/pdf", "buffer": tiny_pdf(name)}


def png_file(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "image/png", "buffer": tiny_png()}


#: The day the journeys are written for: the synthetic children's ages and the intake
#: deadlines depend on it, and a test must not change its answer with the calendar.
TODAY = datetime.date(2026, 11, 27)


@pytest.fixture
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> datetime.date:
    """``timezone.localdate()`` (what the rules call ``today``) answers :data:`TODAY`."""
    from django.utils import timezone

    real = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> datetime.date:
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


@pytest.fixture
def seed_site(settings: Any, live_server: Any, tmp_path: Path) -> str:
    """The live server as the demo runs it, TestID included; returns its base URL."""
    from iktipet.core import demo

    settings.TESTID_ENABLED = True
    settings.ROOT_URLCONF = "iktipet.testid.site_urls"
    settings.BASE_URL = live_server.url
    settings.CSRF_TRUSTED_ORIGINS = [live_server.url]
    settings.OIDC_ISSUER = settings.STAFF_OIDC_ISSUER = f"{live_server.url}/testid"
    settings.OIDC_CLIENT_AUTH = "client_secret_post"
    settings.OIDC_CLIENT_KEY = ""
    settings.OIDC_CLIENT_SECRET = "e2e-portal-secret"
    settings.STAFF_OIDC_CLIENT_SECRET = "e2e-staff-secret"
    settings.ALLOW_SYNTHETIC_IDS = True
    settings.ANTIVIRUS = "none"
    # The journeys make their own cases; the demo's example cases would only be in the way.
    settings.DEMO_CASES = False
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    demo.discover()
    for item in demo.loaders():
        item.load()
    return live_server.url


class Journey:
    """A person in the browser. Each page load is checked by axe before the test goes on."""

    def __init__(self, page: Any, base_url: str, axe_check: Callable[..., None] | None) -> None:
        self.page = page
        self.base_url = base_url
        self._axe = axe_check
        self.checked: list[str] = []

    # -- navigation ---------------------------------------------------------------------------

    def check(self) -> None:
        if self._axe is not None:  # None: JavaScript is off, and axe cannot run
            self._axe(self.page)
        assert self.page.csp_violations == [], self.page.csp_violations
        self.checked.append(self.page.url)

    def goto(self, path: str) -> None:
        self.page.goto(f"{self.base_url}{path}")
        self.check()

    def press(self, locator: Any) -> None:
        """Click a button or link that loads a new page, then check that page."""
        with self.page.expect_navigation():
            locator.click()
        self.check()

    def button(self, name: str, exact: bool = True) -> Any:
        return self.page.get_by_role("button", name=name, exact=exact)

    def next(self) -> None:
        """The step's primary button ("Neste steg" or "Gå til oppsummering").

        With JavaScript on, the last answers' preview (applications/live.js) must have come
        back first, as a person sees the new questions before pressing on; pressed earlier,
        the step is shown again with "Svarene dine ga nye spørsmål".
        """
        self.wait_for_live_answers()
        before = self.page.url
        # Only where live.js ran (it marks the form): without JavaScript the notice is the
        # expected page, and the no-JS journeys answer the new questions themselves.
        live = self.page.locator("[data-live-state]").count() > 0
        self.press(self.page.locator(".app-actions button[value=next]"))
        if live and self.page.url == before and self.page.locator("#revealed").count():
            # The server showed the step again because a question appeared that the page had
            # not shown yet (the live preview lagged behind the press, seen under CI load). A
            # person reads the notice and presses again; a required new question would still
            # stop the journey here with its error.
            self.wait_for_live_answers()
            self.press(self.page.locator(".app-actions button[value=next]"))

    def wait_for_live_answers(self) -> None:
        self.page.wait_for_function(
            "() => { const c = document.querySelector('[data-live-url]');"
            " return !c || c.getAttribute('data-live-state') !== 'pending'; }"
        )

    def heading(self) -> str:
        return self.page.locator("h1").inner_text().strip()

    def expect_heading(self, text: str) -> None:
        heading = self.heading()
        if heading != text:
            # What the page said when it stayed: an error, a warning or the new-questions notice.
            said = self.page.locator(".ds-alert, .ds-error-summary, [role=alert]")
            notices = said.all_inner_texts()
            raise AssertionError(
                f"{self.page.url}: expected {text!r}, got {heading!r}; the page said {notices!r}"
            )

    # -- login --------------------------------------------------------------------------------

    def testid_login(self, pid: str, level: str) -> None:
        """On TestID's login page: type the synthetic number, choose the level, log in."""
        assert "/testid/authorize" in self.page.url, self.page.url
        self.page.get_by_label("Eller skriv inn et syntetisk fødselsnummer").fill(pid)
        self.page.locator(f"input[name=level][value={level}]").check()
        self.press(self.page.get_by_role("button", name="Logg inn"))

    def start_service(self, service_id: str, pid: str, level: str, title: str) -> None:
        """From the service's catalogue page: Start → TestID → (choose party) → first step."""
        self.goto(f"/tjenester/{service_id}/")
        self.expect_heading(title)
        self.press(self.page.get_by_role("link", name="Start", exact=True))
        self.testid_login(pid, level)

    def begin(self) -> None:
        """On the application's start page: press "Start søknaden"."""
        self.press(self.button("Start søknaden"))

    # -- fields -------------------------------------------------------------------------------

    def field(self, label: str) -> Any:
        return self.page.get_by_label(label, exact=True)

    def fill(self, label: str, value: str) -> None:
        self.field(label).fill(value)

    def choose(self, group: str, option: str) -> None:
        """Tick the radio button or checkbox ``option`` inside the fieldset ``group``."""
        self.page.get_by_role("group", name=group, exact=True).get_by_label(
            option, exact=True
        ).check()

    def within(self, group: str) -> Any:
        return self.page.get_by_role("group", name=group, exact=True)

    @staticmethod
    def select_starting(select: Any, text: str) -> str:
        """Choose the option whose label starts with ``text``; returns the whole label."""
        labels = [label.strip() for label in select.locator("option").all_inner_texts()]
        label = next(item for item in labels if item.startswith(text))
        select.select_option(label=label)
        return label

    def upload(self, label: str, *files: dict[str, Any]) -> None:
        self.page.get_by_label(label, exact=True).set_input_files(list(files))

    # -- checks -------------------------------------------------------------------------------

    def error_summary(self) -> list[tuple[str, str]]:
        """The error summary's (message, href) pairs after checking it is usable."""
        summary = self.page.locator("#error-summary")
        assert summary.is_visible()
        assert summary.get_attribute("tabindex") == "-1"
        summary.focus()
        assert self.page.evaluate("document.activeElement.id") == "error-summary"
        links = summary.get_by_role("link")
        found = []
        for index in range(links.count()):
            link = links.nth(index)
            href = link.get_attribute("href") or ""
            assert href.startswith("#"), href
            target = self.page.locator(href)
            assert target.count() == 1, f"{href} points at nothing"
            found.append((link.inner_text().strip(), href))
        assert found
        return found

    def download_receipt(self) -> bytes:
        with self.page.expect_download() as info:
            self.page.get_by_role("link", name="Last ned kvittering (PDF)").click()
        download = info.value
        assert download.failure() is None, download.failure()
        path = download.path()
        return Path(path).read_bytes()


def assert_pdfa_receipt(data: bytes, *expected_text: str) -> None:
    """PDF/A-2b by its XMP identification, every font embedded."""
    from iktipet.documents.pdfcheck import pdf_facts

    facts = pdf_facts(data)
    assert facts.pdfa_part == "2", facts
    assert facts.pdfa_conformance == "B", facts
    assert facts.fonts, "the receipt has no fonts at all"
    assert facts.all_fonts_embedded, facts.fonts


def sent_barnehageplass(pid: str, child: str, *, kindergarten: str = "bhg-001") -> Any:
    """A barnehageplass application for ``child`` sent over HTTP (Django's test client, no
    JavaScript) by the parent ``pid``, before the journey's browser logs in: the shortest
    answers the service takes. Needs ``seed_site`` and ``pinned_today``; returns it sent."""
    import re

    from django.test import Client
    from django.urls import reverse

    from iktipet.accounts.testing import sign_in_citizen
    from iktipet.applications.models import Application
    from support.form_browser import form_fields, submit_page

    client = Client()
    person = sign_in_citizen(client, pid, level="high")
    start = reverse("applications:start", args=["barnehageplass"])
    token = re.search(rb'name="start_token" value="([^"]+)"', client.get(start).content)
    assert token, "no start form"
    assert client.post(start, {"start_token": token.group(1).decode()}).status_code == 302
    application = Application.objects.filter(applicant=person.user).latest("created_at")
    answers = {
        "child": {"child": child},
        "kindergartens": {"kindergartens-1": kindergarten, "start_date": "2027-08-02"},
        "priority": {"priority_group": "none"},
        "confirm": {"confirmation": "yes"},
    }
    for step, changes in answers.items():
        url = reverse("applications:step", args=[application.pk, step])
        response = submit_page(client, url, changes)
        if response.status_code == 200:
            # The step stayed to show what the answer revealed (the child's right): on.
            response = client.post(url, {**form_fields(response.content), "_action": "next"})
        assert response.status_code == 302, response.content.decode()[:3000]
        assert response.url != url, f"the step {step} did not let go"
    response = client.post(reverse("applications:submit", args=[application.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED, application.status
    return application


#: The widths the issue-14 journeys run at: a desktop window and a small phone.
WIDTHS = (1280, 375)


def journey_at(width: int, page: Any, base_url: str, axe_check: Callable[..., None]) -> Journey:
    """A :class:`Journey` in a window ``width`` px wide (and 900 tall)."""
    page.set_viewport_size({"width": width, "height": 900})
    return Journey(page, base_url, axe_check)
