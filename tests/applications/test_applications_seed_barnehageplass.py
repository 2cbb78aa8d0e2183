"""The shipped barnehageplass service over HTTP: the child from the population register
(and only the parent's own), the right to a place, ranked kindergartens, the start date
against the intake rules, priority documentation, receipt."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iktipet.accounts.testing import sign_in_citizen
from iktipet.applications.models import Application
from iktipet.documents.pdfcheck import pdf_facts
from support.applications import KARI, publish, seed
from support.form_browser import PDF, form_fields, submit_page

EMMA = "14832699927"  # Kari's daughter, born 2026-03-14
NOAH = "02902399812"  # Kari's son, born 2023-10-02
JONAS = "30879549945"
LEAH = "05892699935"  # Jonas' daughter, born 2026-09-05


class Calendar:
    """The rules' ``today`` for a test; the synthetic children's rights depend on it."""

    day = datetime.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def calendar(monkeypatch):
    from django.utils import timezone

    real = timezone.localdate
    pinned = Calendar()
    monkeypatch.setattr(
        "django.utils.timezone.localdate",
        lambda value=None, timezone=None: pinned.day if value is None else real(value, timezone),
    )
    return pinned


@pytest.fixture
def barnehage(db):
    from iktipet.core.demo_data import load_municipality

    load_municipality()
    return publish(seed("barnehageplass"))


@pytest.fixture
def parent(client, kari):
    sign_in_citizen(client, KARI, level="high")
    return client


def _start(client) -> Application:
    url = reverse("applications:start", args=["barnehageplass"])
    page = client.get(url)
    assert page.status_code == 200, page.content[:300]
    token = re.search(rb'name="start_token" value="([^"]+)"', page.content).group(1).decode()
    client.post(url, {"start_token": token})
    return Application.objects.latest("created_at")


def _url(application, step_id):
    return reverse("applications:step", args=[application.pk, step_id])


def _errors(response) -> list[str]:
    page = response.content.decode()
    assert "ds-error-summary" in page, page[:2000]
    summary = page.split('id="error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a class="ds-link" href="#[^"]+">([^<]+)</a>', summary)


def _choose_child(client, application, pid: str) -> str:
    """Choose the child; the page shows the child's right before going on. Its text."""
    r = submit_page(client, _url(application, "child"), {"child": pid})
    assert r.status_code == 200, r.status_code
    page = r.content.decode()
    r = client.post(_url(application, "child"), {**form_fields(r.content), "_action": "next"})
    assert r.status_code == 302
    assert r.url == _url(application, "kindergartens")
    return page


def _kindergartens(client, application, start: str, ranked=("bhg-002", "bhg-001", "bhg-003")):
    choices = {f"kindergartens-{rank}": value for rank, value in enumerate(ranked, start=1)}
    return submit_page(
        client,
        _url(application, "kindergartens"),
        {**choices, "start_date": start, "hours": "full"},
    )


def _priority_and_confirm(client, application):
    r = submit_page(client, _url(application, "priority"), {"priority_group": "single_parent"})
    assert r.status_code == 200
    assert 'name="priority_documentation"' in r.content.decode()  # asked for now
    upload = SimpleUploadedFile("enslig.pdf", PDF, "application/pdf")
    r = client.post(
        _url(application, "priority"),
        {**form_fields(r.content), "priority_documentation": upload, "_action": "next"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    r = client.post(_url(application, "confirm"), {"confirmation": "yes", "_action": "next"})
    assert r.url == reverse("applications:summary", args=[application.pk])


def test_kari_applies_for_emma(parent, barnehage, django_capture_on_commit_callbacks):
    application = _start(parent)
    page = _choose_child(parent, application, EMMA)
    # Born in March 2026: a place from August the year she turns one, if in by 1 March.
    assert "Barnet har rett til plass fra 1. august 2027 hvis du søker innen 1. mars 2027." in (
        page
    )
    assert "Emma Nordmann-Test (14.03.2026)" in page and "Noah Nordmann-Test" in page
    assert EMMA in page  # as the radio button's value, …
    assert f">{EMMA}<" not in page  # … never as text
    r = _kindergartens(parent, application, "2027-08-02")
    assert r.status_code == 302, r.content.decode()[:3000]
    _priority_and_confirm(parent, application)

    summary = parent.get(reverse("applications:summary", args=[application.pk])).content.decode()
    assert "Emma Nordmann-Test (14.03.2026)" in summary and EMMA not in summary
    assert "Søknaden er gratis." in summary
    assert "enslig.pdf" in summary
    with django_capture_on_commit_callbacks(execute=True):
        r = parent.post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "submitted", r.url
    assert application.answers["child"] == EMMA
    assert application.answers["kindergartens"] == ["bhg-002", "bhg-001", "bhg-003"]
    assert application.answers["start_date"] == "2027-08-02"
    pdf = parent.get(reverse("applications:receipt_pdf", args=[application.pk]))
    facts = pdf_facts(pdf.content)
    assert (facts.pdfa_part, facts.pdfa_conformance) == ("2", "B")
    assert facts.all_fonts_embedded, facts.fonts


def test_jonas_sees_leahs_right_from_the_month_she_turns_one(client, barnehage):
    sign_in_citizen(client, JONAS, level="high", name=("Jonas", "Haugen-Test"))
    application = _start(client)
    page = _choose_child(client, application, LEAH)
    assert "Barnet har rett til plass fra 1. september 2027 hvis du søker innen 1. mars 2027." in (
        page
    )
    assert "Leah Haugen-Test (05.09.2026)" in page
    assert "Emma" not in page and "Noah" not in page  # only his own child


@pytest.mark.parametrize("pid", [LEAH, KARI, "14832699928", "<script>"])
def test_a_child_that_is_not_the_parents_is_rejected(parent, barnehage, pid):
    application = _start(parent)
    r = submit_page(parent, _url(application, "child"), {"child": pid})
    assert r.status_code == 200
    assert _errors(r) == ["Velg et svar for «Hvilket barn søker du for?»."]
    assert 'href="#f-child-1"' in r.content.decode()  # the first radio button: focus lands
    application.refresh_from_db()
    assert application.answers.get("child") is None
    assert application.current_step == "child"


def test_a_tampered_child_cannot_be_submitted(parent, barnehage):
    """Even stored in the draft (say the register changed), the child is checked again."""
    application = _start(parent)
    _choose_child(parent, application, EMMA)
    assert _kindergartens(parent, application, "2027-08-02").status_code == 302
    _priority_and_confirm(parent, application)
    Application.objects.filter(pk=application.pk).update(
        answers={**application.__class__.objects.get(pk=application.pk).answers, "child": LEAH}
    )
    r = parent.post(reverse("applications:submit", args=[application.pk]))
    assert r.url == f"{_url(application, 'child')}?fra=oppsummering"
    application.refresh_from_db()
    assert application.status == "draft"


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("2026-11-26", "«Ønsket oppstart» kan ikke være før 27.11.2026."),
        ("2028-11-28", "«Ønsket oppstart» kan ikke være etter 27.11.2028."),
        ("31.02.2027", "Datoen finnes ikke. Sjekk dag og måned i «Ønsket oppstart»."),
    ],
)
def test_a_start_date_outside_the_allowed_range_is_rejected(parent, barnehage, start, message):
    application = _start(parent)
    _choose_child(parent, application, EMMA)
    r = _kindergartens(parent, application, start)
    assert r.status_code == 200
    assert _errors(r) == [message]
    application.refresh_from_db()
    assert application.answers.get("start_date") is None


def test_a_start_after_the_intake_deadline_is_warned_about_once(parent, barnehage, calendar):
    """Applying late is allowed (the child only loses the right): a warning, read before
    going on and shown again on the summary."""
    calendar.day = datetime.date(2027, 4, 10)  # after 1 March 2027
    application = _start(parent)
    page = _choose_child(parent, application, EMMA)
    assert "Søknadsfristen for plass fra 1. august 2027 var 1. mars 2027." in page
    r = _kindergartens(parent, application, "2027-08-16")
    assert r.status_code == 200  # stays once, to show the warning
    warning = "Søknadsfristen for oppstart på denne datoen var 1. mars 2027."
    assert warning in r.content.decode()
    assert "ds-error-summary" not in r.content.decode()
    r = parent.post(
        _url(application, "kindergartens"), {**form_fields(r.content), "_action": "next"}
    )
    assert r.status_code == 302 and r.url == _url(application, "priority")
    _priority_and_confirm(parent, application)
    summary = parent.get(reverse("applications:summary", args=[application.pk])).content.decode()
    assert warning in summary
    assert "Send inn søknaden" in summary


def test_a_start_before_the_childs_right_is_warned_about(parent, barnehage):
    application = _start(parent)
    _choose_child(parent, application, EMMA)
    r = _kindergartens(parent, application, "2027-01-04")
    assert r.status_code == 200
    assert (
        "Barnet har rett til plass fra 1. august 2027. Oppstart før det får barnet bare hvis "
        "det er ledige plasser." in r.content.decode()
    )


def test_a_parent_without_children_in_the_register_is_told_so(client, barnehage):
    sign_in_citizen(client, "29897549849", level="high", name=("Ingrid", "Bakke-Test"))
    application = _start(client)
    page = client.get(_url(application, "child")).content.decode()
    assert "Barna er hentet fra Folkeregisteret." in page
    assert "Vi fant ingen du kan velge her. Ta kontakt med oss hvis dette er feil." in page
    r = client.post(_url(application, "child"), {"_action": "next"})
    assert _errors(r) == ["Velg et svar for «Hvilket barn søker du for?»."]
    assert 'href="#f-child"' in r.content.decode()
